using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// This instance's lease on the store: renewed on a fixed interval while the host runs; expired leases of other instances
/// are claimed (one survivor wins each) and their executions taken over. Given back only after a clean stop.
/// </summary>
internal sealed class InstanceLease(IInstanceLeaseStore leases, ResilientExecutionStore executions, ExecutionRecovery recovery, SchedulerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>How long a stop may spend giving the lease back.</summary>
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(5);

    private volatile bool _held;

    public async Task AcquireAsync(CancellationToken ct)
    {
        await RenewAsync(ct).ConfigureAwait(false);
        _held = true;
    }

    /// <summary>Keeps the lease alive and takes over instances whose leases lapsed, until the host stops.</summary>
    public async Task KeepAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
                foreach (var dead in await leases.ClaimExpiredAsync(options.InstanceId, time.GetUtcNow(), stoppingToken).ConfigureAwait(false))
                {
                    SchedulerLog.TakingOver(logger, dead, options.InstanceId);
                    await recovery.TakeOverAsync(dead, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
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
        if (!_held)
        {
            return;
        }

        using var bound = new CancellationTokenSource(ReleaseBound, time);
        try
        {
            var running = await executions.GetRunningAsync(bound.Token).ConfigureAwait(false);
            if (running.Any(e => string.Equals(e.InstanceId, options.InstanceId, StringComparison.Ordinal)))
            {
                return;
            }

            await leases.ReleaseAsync(options.InstanceId, bound.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An unreleased lease only expires later; stopping must not fail for it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.LeaseFailed(logger, ex, options.InstanceId);
        }
    }

    private Task RenewAsync(CancellationToken ct) =>
        leases.RenewAsync(options.InstanceId, time.GetUtcNow() + options.LeaseDuration, ct);
}
