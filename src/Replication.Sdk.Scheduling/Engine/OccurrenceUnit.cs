using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Claim → run → finish for one occurrence (or one manual trigger), as one unit. Whatever fails after the claim ends the
/// record <see cref="ExecutionStatus.Failed"/> with the error; whatever fails before it leaves the occurrence owed, and
/// firing always re-arms the schedule, so no failure ever unschedules anything.
/// </summary>
internal sealed class OccurrenceUnit(
    ResilientExecutionStore executions,
    ExecutionRunner runner,
    ExecutionEvents events,
    SchedulerTelemetry telemetry,
    SchedulerOptions options,
    TimeProvider time,
    SchedulePlan plan,
    LocalExecutions local,
    LeaseFence fence,
    ILogger logger)
{
    /// <summary>How long a schedule whose claim failed (past the store's own retries) waits before it is tried again.</summary>
    internal static readonly TimeSpan ClaimRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How late the loop may wake and still count an occurrence on time. Timers fire late by milliseconds on any real
    /// clock; a starting deadline of 0 must mean "no catching up", not "never".
    /// </summary>
    internal static readonly TimeSpan WakeUpTolerance = TimeSpan.FromSeconds(1);

    /// <summary>Counting collapsed occurrences stops here: a reason says "10000 or more", never walks a year of seconds.</summary>
    private const int MaxCounted = 10_000;

    /// <summary>
    /// Fires a due schedule: the occurrence runs if it is on time; if the loop woke late or the claim had failed before,
    /// the latest occurrence passed is found directly and the misfire policy decides. Never throws but for a stop.
    /// </summary>
    public async Task FireAsync(string scheduleId, DateTimeOffset dueAt, CancellationToken stopping)
    {
        if (plan.Get(scheduleId) is not { } planned || fence.IsLost)
        {
            return;
        }

        var now = time.GetUtcNow();
        try
        {
            var latest = OccurrenceMath.Latest(planned.Parsed, dueAt.AddTicks(-1), now) ?? dueAt;
            if (now - latest <= WakeUpTolerance || (latest == dueAt && now - dueAt <= StartingDeadline(planned.Schedule)))
            {
                // On time: the loop's own wake-up latency never makes an occurrence late, whatever the starting deadline.
                var collapsed = latest == dueAt ? null : $"{Passed(planned.Parsed, dueAt, latest)} earlier occurrences since {dueAt:O} passed while the scheduler could not run them";
                await StartAsync(planned, latest, TriggerKind.Scheduled, options.ScheduledBy, collapsed, stopping).ConfigureAwait(false);
            }
            else
            {
                await MisfireAsync(planned, dueAt, latest, now, stopping).ConfigureAwait(false);
            }

            plan.Rearm(scheduleId, now);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A store outage must not unschedule anything: the occurrence stays owed and is tried again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var failedAt = time.GetUtcNow();
            var retryAt = failedAt + ClaimRetryDelay;
            SchedulerLog.FireFailed(logger, ex, scheduleId, dueAt, retryAt);
            plan.RetryAt(scheduleId, dueAt, failedAt, retryAt);
        }
    }

    /// <summary>Occurrences missed while no scheduler ran: only the latest matters, found directly.</summary>
    public async Task CatchUpAsync(PlannedSchedule planned, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var last = await executions.GetLastOccurrenceAsync(planned.Schedule.Id, ct).ConfigureAwait(false);
        if (last is null || OccurrenceMath.Latest(planned.Parsed, last.Value, now) is not { } latest)
        {
            return;
        }

        await MisfireAsync(planned, null, latest, now, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims and starts an execution. After a successful claim nothing escapes: a failure ends the record as failed.
    /// Returns <see langword="null"/> only when another scheduler claimed the occurrence.
    /// </summary>
    public async Task<ScheduleExecution?> StartAsync(PlannedSchedule planned, DateTimeOffset scheduledFor, TriggerKind kind, string triggeredBy, string? reason, CancellationToken ct)
    {
        var schedule = planned.Schedule;
        var execution = NewExecution(schedule, scheduledFor, kind, triggeredBy, reason);
        local.Own(execution.Id);
        bool claimed;
        try
        {
            claimed = await executions.TryCreateAsync(execution, ct).ConfigureAwait(false);
        }
        catch
        {
            local.Disown(execution.Id);
            throw;
        }

        if (!claimed)
        {
            local.Disown(execution.Id);
            SchedulerLog.ClaimedElsewhere(logger, schedule.Id, scheduledFor);
            return null;
        }

        try
        {
            // The execution deadline: the schedule's next occurrence (VMs not started by then are recorded as not started).
            var deadline = planned.Parsed.GetNextOccurrence(kind == TriggerKind.Manual ? time.GetUtcNow() : scheduledFor);

            // Blackouts, then the window: they belong to the occurrence itself, so they are decided before the overlap.
            var gate = WindowGate.Decide(schedule, kind, SpreadOffset.From(execution), deadline);
            if (gate.SkipReason is { } skipReason)
            {
                local.Run(execution.Id, FinishNotRunAsync(execution with { SkipReason = skipReason }, ExecutionStatus.Skipped, gate.Reason!));
                return execution;
            }

            if (gate.StartAt is not null)
            {
                // Claimed once, now; the record says it waits for the window until it starts.
                execution = execution with { Reason = execution.Reason is { } earlier ? $"{earlier}; {gate.Reason}" : gate.Reason };
                await executions.UpdateAsync(execution, ct).ConfigureAwait(false);
                SchedulerLog.ExecutionDeferred(logger, execution.Id, schedule.Id, gate.StartAt.Value);
            }

            if (schedule.SkipIfRunning && await RunningExecutionOfAsync(schedule.Id, execution.Id, ct).ConfigureAwait(false) is { } other)
            {
                local.Run(execution.Id, FinishNotRunAsync(execution with { SkipReason = ExecutionSkipReason.Overlap }, ExecutionStatus.Skipped, $"execution {other} of this schedule is still running (skip if running)"));
                return execution;
            }

            SchedulerLog.ExecutionStarted(logger, execution.Id, schedule.Id, kind, scheduledFor);
            await events.StartedAsync(execution, ct).ConfigureAwait(false);

            var lease = execution.LeaseToken is { } token ? new InstanceLeaseToken(execution.InstanceId!, token) : null;
            var stopping = local.Stopping;
            local.Run(execution.Id, Task.Run(
                () =>
                {
                    LeaseFence.ActFor(lease);
                    return RunAsync(execution, schedule, deadline, gate.StartAt, stopping);
                },
                CancellationToken.None));
            return execution;
        }
#pragma warning disable CA1031 // Claimed means recorded: the record ends, whatever failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (ex is OperationCanceledException && local.Stopping.IsCancellationRequested)
            {
                local.Run(execution.Id, FinishNotRunAsync(execution, ExecutionStatus.Cancelled, "the host shut down before the execution started"));
                return execution;
            }

            SchedulerLog.FailedAfterClaim(logger, ex, execution.Id, schedule.Id, ex.Message);
            var failed = execution with { Error = ex.Message };
            local.Run(execution.Id, FinishNotRunAsync(failed, ExecutionStatus.Failed, $"the execution failed before it started: {ex.Message}"));
            return failed;
        }
    }

    /// <summary>Runs the execution, first waiting for the window to open when it was deferred (a stop ends the wait; the runner records it).</summary>
    private async Task<ScheduleExecution> RunAsync(ScheduleExecution execution, ReplicationSchedule schedule, DateTimeOffset? deadline, DateTimeOffset? startAt, CancellationToken stopping)
    {
        try
        {
            // A timer cannot wait more than about 49 days; an opening is at most two weeks away, but look again daily anyway.
            while (startAt is { } start && time.GetUtcNow() < start && !stopping.IsCancellationRequested)
            {
                var left = start - time.GetUtcNow();
                await Task.Delay(left > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : left, time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The runner sees the stop and records the execution cancelled.
        }

        return await runner.RunAsync(execution, schedule, deadline, () => local.Decided(execution.Id), stopping, startAt).ConfigureAwait(false);
    }

    // owedSince is the first occurrence not yet recorded, when the loop knows it (a late wake-up or a failed claim).
    private async Task MisfireAsync(PlannedSchedule planned, DateTimeOffset? owedSince, DateTimeOffset latest, DateTimeOffset now, CancellationToken ct)
    {
        var deadline = StartingDeadline(planned.Schedule);
        var late = now - latest;
        var earlier = owedSince is { } since && since < latest ? $"; {Passed(planned.Parsed, since, latest)} earlier occurrences since {since:O} collapse into it" : "";
        if (planned.Schedule.MisfirePolicy == MisfirePolicy.RunLatest && late <= deadline)
        {
            await StartAsync(planned, latest, TriggerKind.CatchUp, options.ScheduledBy, $"catch-up of occurrence {latest:O}, {late:g} late (the scheduler was not running, paused or unable to claim it){earlier}", ct).ConfigureAwait(false);
            return;
        }

        var reason = planned.Schedule.MisfirePolicy == MisfirePolicy.Skip
            ? $"occurrence {latest:O} was missed ({late:g} late: the scheduler was not running, paused or unable to claim it); misfire policy is Skip{earlier}"
            : $"occurrence {latest:O} was missed ({late:g} late: the scheduler was not running, paused or unable to claim it), beyond the starting deadline {deadline:g}{earlier}";
        var execution = NewExecution(planned.Schedule, latest, TriggerKind.Scheduled, options.ScheduledBy, reason);
        local.Own(execution.Id);
        try
        {
            if (await executions.TryCreateAsync(execution, ct).ConfigureAwait(false))
            {
                local.Run(execution.Id, FinishNotRunAsync(execution, ExecutionStatus.Missed, reason));
                return;
            }
        }
        catch
        {
            local.Disown(execution.Id);
            throw;
        }

        local.Disown(execution.Id);
    }

    private TimeSpan StartingDeadline(ReplicationSchedule schedule) => schedule.StartingDeadline ?? options.DefaultStartingDeadline;

    /// <summary>How many occurrences lie in [<paramref name="from"/>, <paramref name="until"/>), counted up to a bound.</summary>
    private static string Passed(ISchedule schedule, DateTimeOffset from, DateTimeOffset until)
    {
        var count = schedule.GetOccurrences(from.AddTicks(-1), until.AddTicks(-1)).Take(MaxCounted).Count();
        return count >= MaxCounted ? $"{MaxCounted} or more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string?> RunningExecutionOfAsync(string scheduleId, string exceptId, CancellationToken ct)
    {
        // A record this process already ended is not running, even while a store outage delays its final write.
        var running = await executions.GetRunningAsync(ct).ConfigureAwait(false);
        return running.FirstOrDefault(e => e.ScheduleId == scheduleId && e.Id != exceptId && !local.IsDecided(e.Id))?.Id;
    }

    /// <summary>Ends a record that never ran; the write goes on past a store outage until it is durable or the host stops.</summary>
    private async Task<ScheduleExecution> FinishNotRunAsync(ScheduleExecution execution, ExecutionStatus status, string reason)
    {
        var final = execution with { Status = status, CompletedAt = time.GetUtcNow(), Reason = reason };
        local.Decided(final.Id);
        await FinalWrite.UntilDurableAsync(() => executions.UpdateAsync(final, CancellationToken.None), final.Id, time, logger, local.Stopping).ConfigureAwait(false);

        SchedulerLog.ExecutionNotRun(logger, final.Id, final.ScheduleId, status, reason);
        telemetry.Execution(final);
        await events.StartedAsync(final, CancellationToken.None).ConfigureAwait(false);
        await events.FinishedAsync(final).ConfigureAwait(false);
        return final;
    }

    private ScheduleExecution NewExecution(ReplicationSchedule schedule, DateTimeOffset scheduledFor, TriggerKind kind, string triggeredBy, string? reason) => new()
    {
        // Written under this instance's lease (none before the service started: triggers on a host that never ran it).
        LeaseToken = fence.IsLost
            ? throw new LeaseLostException(options.InstanceId, $"Scheduler instance '{options.InstanceId}' lost its lease and is rejoining; try again shortly.")
            : fence.Current?.Token,
        Id = $"exec-{Guid.CreateVersion7(time.GetUtcNow()):N}",
        ScheduleId = schedule.Id,
        ScheduledFor = Truncate(scheduledFor),
        TriggerKind = kind,
        TriggeredBy = triggeredBy,
        StartedAt = time.GetUtcNow(),
        Reason = reason,
        InstanceId = options.InstanceId,
    };

    internal static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
