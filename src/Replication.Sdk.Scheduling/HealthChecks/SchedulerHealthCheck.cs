using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Reports whether this scheduler instance works: its loop woke when it planned to (or is not stuck in a pass), it holds
/// its lease, its execution store answers, and no execution it runs is past its deadline (the next occurrence).
/// </summary>
internal sealed class SchedulerHealthCheck(SchedulerHealth health, IExecutionStore store, IOptions<SchedulerOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var snapshot = health.Read();

        // The loop may be late or busy by as much as the lease lasts: a store retry takes a while, and past the lease
        // another instance would take this one's work over anyway.
        var bound = options.Value.LeaseDuration;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["instance"] = health.InstanceId,
            ["loop"] = snapshot.State.ToString(),
            ["runningExecutions"] = snapshot.Running.Count,
        };
        Add(data, "lastWakeUp", snapshot.LastWake);
        Add(data, "plannedWakeUp", snapshot.PlannedWake);
        Add(data, "leaseRenewedAt", snapshot.LeaseRenewedAt);
        Add(data, "leaseExpiresAt", snapshot.LeaseExpiresAt);

        var problems = new List<string>();
        if (LoopProblem(snapshot, now, bound) is { } loop)
        {
            problems.Add(loop);
        }

        if (snapshot.LeaseExpiresAt is not { } expires || now >= expires)
        {
            problems.Add(snapshot.LeaseError is { } leaseError
                ? $"instance {health.InstanceId} does not hold its lease: the last renewal failed: {leaseError}"
                : $"instance {health.InstanceId} does not hold its lease");
        }

        Exception? storeError = null;
        try
        {
            await store.GetRunningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the store throws is the check's answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            storeError = ex;
            problems.Add($"the execution store is not reachable: {ex.Message}");
        }

        if (problems.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The scheduler is not working: " + string.Join("; ", problems) + ".", storeError, data);
        }

        var overdue = snapshot.Running.Where(r => r.Deadline is { } d && now > d).OrderBy(r => r.Deadline).ToList();
        data["overdueExecutions"] = overdue.Count;
        if (overdue.Count > 0)
        {
            // Still working, but an operator should look: jobs that outlive their schedule's period pile up.
            var first = overdue[0];
            return HealthCheckResult.Degraded(
                string.Create(CultureInfo.InvariantCulture, $"{overdue.Count} executions are running past their deadline; the oldest is {first.Id} of schedule {first.ScheduleId}, due to end by {first.Deadline:O}."),
                data: data);
        }

        return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"The scheduler is running ({snapshot.Running.Count} executions in progress)."), data);
    }

    private static string? LoopProblem(SchedulerHealth.Snapshot snapshot, DateTimeOffset now, TimeSpan bound) => snapshot.State switch
    {
        SchedulerHealth.LoopState.NotStarted => "the scheduler loop has not started",
        SchedulerHealth.LoopState.Stopped => "the scheduler loop has stopped",
        SchedulerHealth.LoopState.Starting when snapshot.LoopError is { } error => $"the scheduler cannot start: {error}",
        SchedulerHealth.LoopState.Starting when now - snapshot.LastWake > bound => string.Create(CultureInfo.InvariantCulture, $"the scheduler has been starting since {snapshot.LastWake:O}"),
        _ when snapshot.LoopError is { } error => $"the scheduler loop's last pass failed: {error}",
        SchedulerHealth.LoopState.Busy when now - snapshot.LastWake > bound =>
            string.Create(CultureInfo.InvariantCulture, $"the scheduler loop has been in one pass since {snapshot.LastWake:O}, longer than {bound}"),
        SchedulerHealth.LoopState.Parked when snapshot.PlannedWake is { } planned && now - planned > bound =>
            string.Create(CultureInfo.InvariantCulture, $"the scheduler loop planned to wake at {planned:O} and has not (last wake-up {snapshot.LastWake:O})"),
        _ => null,
    };

    private static void Add(Dictionary<string, object> data, string key, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            data[key] = v.ToString("O", CultureInfo.InvariantCulture);
        }
    }
}
