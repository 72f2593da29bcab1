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
    PauseBook pauses,
    ILogger logger,
    RpoPlanningStep? rpo = null)
{
    /// <summary>How long a schedule whose claim failed (past the store's own retries) waits before it is tried again.</summary>
    internal static readonly TimeSpan ClaimRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How late the loop may wake and still count an occurrence on time. Timers fire late by milliseconds on any real
    /// clock; a starting deadline of 0 must mean "no catching up", not "never".
    /// </summary>
    internal static readonly TimeSpan WakeUpTolerance = TimeSpan.FromSeconds(1);

    /// <summary>How often a buffered execution first looks whether the one it waits for ended on another instance (then less often, up to <see cref="BufferPollMax"/>).</summary>
    internal static readonly TimeSpan BufferPollFirst = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two looks of a buffered execution at the store.</summary>
    internal static readonly TimeSpan BufferPollMax = TimeSpan.FromSeconds(15);

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
            if (planned.Schedule.Kind == ScheduleKind.Rpo)
            {
                // A planning instant, not an occurrence: nothing is owed for missed ones, the planner looks at now.
                await FireRpoAsync(planned, dueAt, stopping).ConfigureAwait(false);
                plan.Rearm(scheduleId, now);
                return;
            }

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

    /// <summary>
    /// One planning instant of an RPO schedule: the planner picks the VMs to start now; if any, one execution for them is
    /// claimed on (schedule, instant) — so two instances never both start them — and runs them alone, whatever runs already
    /// (the planner counted the running VMs against the limits). A paused schedule starts nothing and records nothing.
    /// </summary>
    private async Task FireRpoAsync(PlannedSchedule planned, DateTimeOffset tick, CancellationToken ct)
    {
        var schedule = planned.Schedule;
        if (rpo is null || await pauses.OfScheduleAsync(schedule.Id, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        var decided = await rpo.PlanAsync(schedule, time.GetUtcNow(), ct).ConfigureAwait(false);
        if (decided.Start.Count == 0)
        {
            return;
        }

        var only = decided.Start.Select(s => s.Vm.ContextId).ToHashSet(StringComparer.Ordinal);
        var least = decided.Start[0].Headroom;
        var reason = FormattableString.Invariant($"RPO plan: {only.Count} of {decided.Due.Count} due VMs start (least headroom {(least == TimeSpan.MinValue ? "no replica" : least.ToString("c", System.Globalization.CultureInfo.InvariantCulture))})");
        var execution = NewExecution(schedule, tick, TriggerKind.Scheduled, options.ScheduledBy, reason);
        if (!await TryClaimAsync(execution, ct).ConfigureAwait(false))
        {
            SchedulerLog.ClaimedElsewhere(logger, schedule.Id, tick);
            return;
        }

        rpo.Launched(execution.Id, schedule.Id, only);
        var run = Launch(planned, execution, only: only);
        local.Run(execution.Id, run);
        _ = run.ContinueWith(static (_, s) => ((RpoPlanningStep)((object[])s!)[0]).Ended((string)((object[])s)[1]), new object[] { rpo, execution.Id }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Occurrences missed while no scheduler ran: only the latest of each schedule matters, found directly. The last
    /// recorded occurrences of all of them are read at once (a few set-based reads at 50,000 schedules, not one each).
    /// </summary>
    public async Task CatchUpAsync(IReadOnlyList<PlannedSchedule> planned, CancellationToken ct)
    {
        // An RPO schedule's planning instants owe nothing when missed: its planner looks at now.
        planned = [.. planned.Where(p => p.Schedule.Kind != ScheduleKind.Rpo)];
        if (planned.Count == 0)
        {
            return;
        }

        var lastOf = await executions.GetLastOccurrencesAsync([.. planned.Select(p => p.Schedule.Id)], ct).ConfigureAwait(false);
        foreach (var schedule in planned)
        {
            var now = time.GetUtcNow();
            if (!lastOf.TryGetValue(schedule.Schedule.Id, out var last) || OccurrenceMath.Latest(schedule.Parsed, last, now) is not { } latest)
            {
                continue;
            }

            await MisfireAsync(schedule, null, latest, now, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claims and starts an execution. After a successful claim nothing escapes: a failure ends the record as failed.
    /// Returns <see langword="null"/> only when another scheduler claimed the occurrence. <paramref name="force"/> (a manual
    /// trigger's) starts it whatever the overlap policy says, and is recorded.
    /// </summary>
    public async Task<ScheduleExecution?> StartAsync(PlannedSchedule planned, DateTimeOffset scheduledFor, TriggerKind kind, string triggeredBy, string? reason, CancellationToken ct, bool force = false)
    {
        var schedule = planned.Schedule;
        var execution = NewExecution(schedule, scheduledFor, kind, triggeredBy, reason) with { Forced = force };

        PauseState? pausedBy = null;

        // One small read per occurrence, so a pause made through any instance on the store holds here. Manual triggers
        // of a paused schedule are refused before they get here (SchedulePausedException).
        if (kind != TriggerKind.Manual && await pauses.OfScheduleAsync(schedule.Id, ct).ConfigureAwait(false) is { } pause)
        {
            switch (await pauses.RecordSkipAsync(pause.Id, execution.Id, execution.ScheduledFor, ct).ConfigureAwait(false))
            {
                case PauseSkipTally.AlreadyCounted:
                    SchedulerLog.ClaimedElsewhere(logger, schedule.Id, scheduledFor);
                    return null;
                case PauseSkipTally.Counted:
                    SchedulerLog.PausedSkipCounted(logger, schedule.Id, execution.ScheduledFor);
                    return null;
                case PauseSkipTally.Recorded:
                    pausedBy = pause;
                    break;
                default:
                    break; // resumed meanwhile: the occurrence runs
            }
        }

        if (!await TryClaimAsync(execution, ct).ConfigureAwait(false))
        {
            SchedulerLog.ClaimedElsewhere(logger, schedule.Id, scheduledFor);
            return null;
        }

        try
        {
            if (pausedBy is not null)
            {
                local.Run(execution.Id, FinishNotRunAsync(execution with { SkipReason = ExecutionSkipReason.Paused }, ExecutionStatus.Skipped, pausedBy.Describe()));
                return execution;
            }

            // Blackouts, then the window: they belong to the occurrence itself, so they are decided before the overlap.
            var deadline = planned.Parsed.GetNextOccurrence(kind == TriggerKind.Manual ? time.GetUtcNow() : scheduledFor);
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

            local.Run(execution.Id, await BeginAsync(planned, execution, ignore: null, ct, gate.StartAt).ConfigureAwait(false));
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

    /// <summary>
    /// Applies the overlap policy to a claimed execution (a forced one skips it) and starts it, or records it skipped, or
    /// leaves it buffered. Returns the rest of its life, which ends with its final record. <paramref name="ignore"/>: running
    /// executions that do not count as overlapping (a backfill's own queue).
    /// </summary>
    private async Task<Task<ScheduleExecution>> BeginAsync(PlannedSchedule planned, ScheduleExecution execution, IReadOnlySet<string>? ignore, CancellationToken ct, DateTimeOffset? startAt = null)
    {
        var schedule = planned.Schedule;
        List<ScheduleExecution> running = execution.Forced || schedule.OverlapPolicy == OverlapPolicy.AllowAll
            ? []
            : [.. (await RunningExecutionsOfAsync(schedule.Id, execution.Id, ct).ConfigureAwait(false)).Where(e => ignore?.Contains(e.Id) != true)];
        if (running.Count > 0)
        {
            switch (OverlapDecision.Decide(schedule.OverlapPolicy, running))
            {
                case { Skip: { } why }:
                    return FinishNotRunAsync(execution with { SkipReason = ExecutionSkipReason.Overlap }, ExecutionStatus.Skipped, why);
                case { BufferBehind: { } behind }:
                    var buffered = execution with { BufferedBehind = behind[0], Reason = Join(execution.Reason, $"buffered behind {behind[0]} (overlap policy BufferOne): it starts when that execution ends") };
                    await executions.UpdateAsync(buffered, ct).ConfigureAwait(false);
                    SchedulerLog.ExecutionBuffered(logger, buffered.Id, schedule.Id, behind[0]);
                    return RunBufferedAsync(planned, buffered, behind);
                case { Replace: { } replaced }:
                    foreach (var other in replaced)
                    {
                        await executions.RequestStopAsync(other, execution.Id, ct).ConfigureAwait(false);
                    }

                    execution = execution with { Reason = Join(execution.Reason, $"replaces {string.Join(", ", replaced)} (overlap policy CancelOther): asked to stop starting VMs") };
                    break;
            }
        }

        SchedulerLog.ExecutionStarted(logger, execution.Id, schedule.Id, execution.TriggerKind, execution.ScheduledFor);
        await events.StartedAsync(execution, ct).ConfigureAwait(false);
        return Launch(planned, execution, startAt);
    }

    /// <summary>Runs a started execution on the pool, under its lease, until its deadline: the schedule's next occurrence.</summary>
    private Task<ScheduleExecution> Launch(PlannedSchedule planned, ScheduleExecution execution, DateTimeOffset? startAt = null, IReadOnlySet<string>? only = null)
    {
        // An occurrence's deadline is its schedule's next occurrence; a run that starts at another time (a manual trigger, a
        // backfill of a past occurrence, a buffered run) gets the next occurrence after it starts. VMs not started by then
        // are recorded as not started.
        var deadline = planned.Parsed.GetNextOccurrence(execution.TriggerKind is TriggerKind.Scheduled or TriggerKind.CatchUp && execution.BufferedBehind is null ? execution.ScheduledFor : time.GetUtcNow());
        var lease = execution.LeaseToken is { } token ? new InstanceLeaseToken(execution.InstanceId!, token) : null;
        var stopping = local.Stopping;
        var work = runner.Activity.Begin();
        return Task.Run(
            async () =>
            {
                using var working = work;
                LeaseFence.ActFor(lease);
                await WaitForWindowAsync(startAt, working, stopping).ConfigureAwait(false);
                if (await PausedWhileWaitingAsync(execution, waited: startAt is not null || execution.BufferedBehind is not null, stopping).ConfigureAwait(false) is { } skipped)
                {
                    return skipped;
                }

                var final = await runner.RunAsync(execution, planned.Schedule, deadline, () => local.Decided(execution.Id), working, stopping, startAt, only).ConfigureAwait(false);
                await pauses.AfterExecutionAsync(final).ConfigureAwait(false);
                return final;
            },
            CancellationToken.None);
    }

    /// <summary>
    /// A schedule paused while its execution waited (deferred to its window's opening, or buffered behind another): the
    /// pause holds, so the execution ends skipped (reason <see cref="ExecutionSkipReason.Paused"/>) rather than start; the
    /// skip is counted on the pause like any other. Manual triggers are not stopped: they were refused or forced when asked.
    /// </summary>
    private async Task<ScheduleExecution?> PausedWhileWaitingAsync(ScheduleExecution execution, bool waited, CancellationToken stopping)
    {
        if (!waited || execution.TriggerKind == TriggerKind.Manual || stopping.IsCancellationRequested
            || await pauses.OfScheduleAsync(execution.ScheduleId, stopping).ConfigureAwait(false) is not { } pause)
        {
            return null;
        }

        if (await pauses.RecordSkipAsync(pause.Id, execution.Id, execution.ScheduledFor, stopping).ConfigureAwait(false) == PauseSkipTally.NotPaused)
        {
            return null; // resumed meanwhile
        }

        return await FinishNotRunAsync(execution with { SkipReason = ExecutionSkipReason.Paused }, ExecutionStatus.Skipped, $"{pause.Describe()} (paused while the execution waited to start)").ConfigureAwait(false);
    }

    /// <summary>Waits for the window to open when the execution was deferred; a stop ends the wait (the runner records it).</summary>
    private async Task WaitForWindowAsync(DateTimeOffset? startAt, ExecutionActivity.Work working, CancellationToken stopping)
    {
        try
        {
            // A timer cannot wait more than about 49 days; an opening is at most two weeks away, but look again daily anyway.
            while (startAt is { } start && time.GetUtcNow() < start && !stopping.IsCancellationRequested)
            {
                var left = start - time.GetUtcNow();
                var opening = Task.Delay(left > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : left, time, stopping);
                working.Park(opening);
                try
                {
                    await opening.ConfigureAwait(false);
                }
                finally
                {
                    working.Wake();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The runner sees the stop and records the execution cancelled.
        }
    }

    /// <summary>
    /// A buffered execution (<see cref="OverlapPolicy.BufferOne"/>): its record is claimed and says what it waits for; it
    /// starts when every execution it was buffered behind has ended, on whichever instance ran them (the store is polled).
    /// </summary>
    private async Task<ScheduleExecution> RunBufferedAsync(PlannedSchedule planned, ScheduleExecution buffered, IReadOnlyList<string> behind)
    {
        var stopping = local.Stopping;
        try
        {
            foreach (var id in behind)
            {
                await WaitEndedAsync(id, stopping).ConfigureAwait(false);
            }

            var started = buffered with { StartedAt = time.GetUtcNow(), Reason = $"{buffered.Reason}; started when it ended" };
            SchedulerLog.ExecutionStarted(logger, started.Id, started.ScheduleId, started.TriggerKind, started.ScheduledFor);
            await events.StartedAsync(started, stopping).ConfigureAwait(false);
            return await Launch(planned, started).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return await FinishNotRunAsync(buffered, ExecutionStatus.Cancelled, $"the host shut down while the execution was buffered behind {buffered.BufferedBehind}").ConfigureAwait(false);
        }
    }

    /// <summary>Follows an execution to its end: at once when this process runs it, else by polling the store (another instance runs it).</summary>
    private async Task WaitEndedAsync(string executionId, CancellationToken stopping)
    {
        var pause = BufferPollFirst;
        while (true)
        {
            if (local.TryGetRunning(executionId, out var task))
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).WaitAsync(stopping).ConfigureAwait(false);
                return;
            }

            if (local.IsDecided(executionId) || await executions.GetAsync(executionId, stopping).ConfigureAwait(false) is not { IsFinished: false })
            {
                return;
            }

            await Task.Delay(pause, time, stopping).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, BufferPollMax.Ticks));
        }
    }

    /// <summary>Records the execution as this process's (so recovery never takes it), or leaves nothing behind when the claim is lost or fails.</summary>
    private async Task<bool> TryClaimAsync(ScheduleExecution execution, CancellationToken ct)
    {
        local.Own(execution.Id);
        var claimed = false;
        try
        {
            claimed = await executions.TryCreateAsync(execution, ct).ConfigureAwait(false);
            return claimed;
        }
        finally
        {
            if (!claimed)
            {
                local.Disown(execution.Id);
            }
        }
    }

    private static string Join(string? first, string second) => first is null ? second : $"{first}; {second}";

    /// <summary>
    /// Claims past occurrences as <see cref="TriggerKind.Backfill"/> executions, oldest first, up to <paramref name="maxRuns"/>;
    /// an occurrence already recorded is not claimed again. They run one after another: each waits (recorded running,
    /// <see cref="ScheduleExecution.BufferedBehind"/> the previous one), then meets the overlap policy like an occurrence.
    /// </summary>
    public async Task<BackfillResult> BackfillAsync(PlannedSchedule planned, DateTimeOffset from, DateTimeOffset until, int maxRuns, CancellationToken ct)
    {
        var claimed = new List<ScheduleExecution>();
        var recorded = new List<DateTimeOffset>();
        DateTimeOffset? next = null;
        var scanned = 0;
        foreach (var occurrence in planned.Parsed.GetOccurrences(from.AddTicks(-1), until))
        {
            if (claimed.Count == maxRuns || scanned++ == BackfillResult.MaxScanned)
            {
                next = occurrence;
                break;
            }

            var previous = claimed.Count > 0 ? claimed[^1].Id : null;
            var reason = previous is null ? $"backfill of occurrence {occurrence:O}" : $"backfill of occurrence {occurrence:O}; waits for {previous} (the backfill before it)";
            var execution = NewExecution(planned.Schedule, occurrence, TriggerKind.Backfill, options.ScheduledBy, reason) with { BufferedBehind = previous };
            bool created;
            try
            {
                created = await TryClaimAsync(execution, ct).ConfigureAwait(false);
            }
            catch when (claimed.Count > 0)
            {
                // What is claimed runs; the caller learns where to go on from.
                next = occurrence;
                break;
            }

            if (created)
            {
                claimed.Add(execution);
            }
            else
            {
                recorded.Add(Truncate(occurrence));
            }
        }

        var queue = claimed.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Task? before = null;
        foreach (var execution in claimed)
        {
            var step = RunBackfillStepAsync(planned, execution, before, queue);
            local.Run(execution.Id, step);
            before = step;
        }

        return new BackfillResult { ExecutionIds = [.. claimed.Select(e => e.Id)], AlreadyRecorded = recorded, NextOccurrence = next };
    }

    private async Task<ScheduleExecution> RunBackfillStepAsync(PlannedSchedule planned, ScheduleExecution execution, Task? before, IReadOnlySet<string> queue)
    {
        var stopping = local.Stopping;
        try
        {
            if (before is not null)
            {
                await before.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).WaitAsync(stopping).ConfigureAwait(false);
            }

            // Blackouts and the window hold for a backfill as of when it starts (now): inside a blackout, or outside the
            // window, it is skipped with that reason. It is not deferred: a backfill runs when asked or not at all.
            var now = time.GetUtcNow();
            var gate = WindowGate.Decide(planned.Schedule, TriggerKind.Backfill, now, nextOccurrence: null);
            if (gate.SkipReason is { } skipReason)
            {
                return await FinishNotRunAsync(execution with { SkipReason = skipReason }, ExecutionStatus.Skipped, gate.Reason!).ConfigureAwait(false);
            }

            var started = execution with { StartedAt = now };
            return await (await BeginAsync(planned, started, queue, stopping).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return await FinishNotRunAsync(execution, ExecutionStatus.Cancelled, "the host shut down before the backfill started").ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            throw;
        }
#pragma warning disable CA1031 // Claimed means recorded: the record ends, whatever failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.FailedAfterClaim(logger, ex, execution.Id, execution.ScheduleId, ex.Message);
            return await FinishNotRunAsync(execution with { Error = ex.Message }, ExecutionStatus.Failed, $"the backfill failed before it started: {ex.Message}").ConfigureAwait(false);
        }
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
        if (await TryClaimAsync(execution, ct).ConfigureAwait(false))
        {
            local.Run(execution.Id, FinishNotRunAsync(execution, ExecutionStatus.Missed, reason));
        }
    }

    private TimeSpan StartingDeadline(ReplicationSchedule schedule) => schedule.StartingDeadline ?? options.DefaultStartingDeadline;

    /// <summary>How many occurrences lie in [<paramref name="from"/>, <paramref name="until"/>), counted up to a bound.</summary>
    private static string Passed(ISchedule schedule, DateTimeOffset from, DateTimeOffset until)
    {
        var count = schedule.GetOccurrences(from.AddTicks(-1), until.AddTicks(-1)).Take(MaxCounted).Count();
        return count >= MaxCounted ? $"{MaxCounted} or more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<ScheduleExecution>> RunningExecutionsOfAsync(string scheduleId, string exceptId, CancellationToken ct)
    {
        // A record this process already ended is not running, even while a store outage delays its final write.
        var running = await executions.GetRunningAsync(ct).ConfigureAwait(false);
        return [.. running.Where(e => e.ScheduleId == scheduleId && e.Id != exceptId && !local.IsDecided(e.Id)).OrderBy(e => e.StartedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
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
