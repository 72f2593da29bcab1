using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// This instance's lease on the store: acquired at start (a live holder of the same id is refused, a dead one waited
/// out), renewed on a fixed interval while the host runs; expired leases of other instances are claimed (one survivor
/// wins each) and their executions taken over. A renewal the store refuses means another instance took this one's
/// lease over: the fence is marked lost and the loop winds down. Given back only after a clean stop.
/// </summary>
internal sealed class InstanceLease(IInstanceLeaseStore leases, LeaseFence fence, SchedulerHealth health, ResilientExecutionStore executions, ExecutionRecovery recovery, SchedulerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>How long a stop may spend giving the lease back.</summary>
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Acquires a new lease. When a lease of this id is live, its holder may be a crashed earlier run of this process
    /// (it will expire) or another live process (it will be renewed): wait, and refuse to start on the first renewal.
    /// </summary>
    /// <param name="sleep">How the caller waits (the loop parks, so a test clock may move on).</param>
    /// <param name="ct">Stops the wait.</param>
    public async Task AcquireAsync(Func<TimeSpan, Task> sleep, CancellationToken ct)
    {
        // A start-up retried after a store outage keeps the lease it already holds.
        if (fence.Current is not null && await RenewAsync(ct).ConfigureAwait(false))
        {
            return;
        }

        DateTimeOffset? seen = null;
        while (true)
        {
            var started = time.GetTimestamp();
            var now = time.GetUtcNow();
            LeaseAcquisition answer;
            try
            {
                answer = await leases.TryAcquireAsync(options.InstanceId, now, now + options.LeaseDuration, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                health.LeaseFailed(ex);
                throw;
            }

            if (answer.Lease is { } lease)
            {
                fence.Acquired(lease, started);
                health.LeaseRenewed(now, now + options.LeaseDuration);
                SchedulerLog.LeaseAcquired(logger, options.InstanceId);
                return;
            }

            var heldUntil = answer.HeldUntil ?? now;
            if (seen is { } before && heldUntil > before)
            {
                throw new DuplicateSchedulerInstanceException(options.InstanceId, heldUntil);
            }

            if (seen is null)
            {
                SchedulerLog.WaitingForLease(logger, options.InstanceId, heldUntil);
            }

            seen = heldUntil;

            // Look again within one renewal interval (a live holder renews by then) and just after the expiry.
            var untilExpiry = heldUntil - now + TimeSpan.FromMilliseconds(1);
            var wait = untilExpiry < options.LeaseRenewInterval ? untilExpiry : options.LeaseRenewInterval;
            await sleep(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the lease alive and takes over instances whose leases lapsed, until the host stops or the lease is lost.</summary>
    public async Task KeepAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested && !fence.IsLost)
        {
            try
            {
                if (!await RenewAsync(stoppingToken).ConfigureAwait(false) || fence.Current is not { } lease)
                {
                    return;
                }

                foreach (var dead in await leases.ClaimExpiredAsync(lease, time.GetUtcNow(), stoppingToken).ConfigureAwait(false))
                {
                    SchedulerLog.TakingOver(logger, dead.InstanceId, options.InstanceId);
                    await recovery.TakeOverAsync(dead, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (LeaseLostException ex)
            {
                fence.MarkLost(null, ex.Message);
                return;
            }
#pragma warning disable CA1031 // A store outage must not end lease renewal: log, wait, try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SchedulerLog.LeaseFailed(logger, ex, options.InstanceId);
            }

            try
            {
                await Task.Delay(options.LeaseRenewInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// A clean stop leaves nothing to take over; only then is the lease given back, else it lapses and a survivor takes
    /// over. Bounded: a database that is down at stop must not hold the host.
    /// </summary>
    public async Task ReleaseAsync()
    {
        if (fence.Current is not { } lease)
        {
            return;
        }

        using var bound = new CancellationTokenSource(ReleaseBound, time);
        try
        {
            var running = await executions.GetRunningAsync(bound.Token).ConfigureAwait(false);
            if (running.Any(e => string.Equals(e.LeaseToken, lease.Token, StringComparison.Ordinal)
                || (e.LeaseToken is null && string.Equals(e.InstanceId, options.InstanceId, StringComparison.Ordinal))))
            {
                return;
            }

            await leases.ReleaseAsync(lease, bound.Token).ConfigureAwait(false);
            health.LeaseReleased();
        }
#pragma warning disable CA1031 // An unreleased lease only expires later; stopping must not fail for it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.LeaseFailed(logger, ex, options.InstanceId);
        }
    }

    /// <summary>Renews through the fence (so the job-creation gate sees the proof), noting each result for the health check.</summary>
    private async Task<bool> RenewAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            if (await fence.RenewAsync(ct).ConfigureAwait(false))
            {
                health.LeaseRenewed(now, now + options.LeaseDuration);
                return true;
            }

            health.LeaseReleased();
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            health.LeaseFailed(ex);
            throw;
        }
    }
}
