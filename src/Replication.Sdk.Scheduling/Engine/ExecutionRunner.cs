using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Runs one claimed execution to the end: select VMs, check them in order, submit through the discovery-first submitter
/// within the schedule, group and global limits, retry transient failures, track created jobs to a terminal status, and
/// record exactly one outcome per VM.
/// </summary>
internal sealed class ExecutionRunner(
    IServiceProvider services,
    IScheduleStore store,
    ResilientExecutionStore executions,
    SlotBoard slots,
    StartRateLimiter starts,
    RpoTracker rpo,
    ExecutionEvents events,
    SchedulerTelemetry telemetry,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<ExecutionRunner> logger,
    SchedulerHealth health,
    PauseBook pauses)
{
    /// <summary>The longest single wait for a slot; Task.Delay refuses more than about 49 days.</summary>
    private static readonly TimeSpan MaxRoomWait = TimeSpan.FromDays(1);

    /// <summary>Gets which executions are working between two waits (a test clock's hand-off, like the main loop's).</summary>
    internal ExecutionActivity Activity { get; } = new();

    // decided is called once the final record is decided, before it is written (the write may wait out a store outage).
    // startAt is set for an execution deferred to its window's opening: its VMs start (and spread) from there.
    public async Task<ScheduleExecution> RunAsync(ScheduleExecution execution, ReplicationSchedule schedule, DateTimeOffset? deadline, Action? decided, ExecutionActivity.Work working, CancellationToken stopping, DateTimeOffset? startAt = null, IReadOnlySet<string>? only = null)
    {
        using var state = new ExecutionState(execution, executions);
        // An RPO execution's deadline only bounds its starts (the next planning instant); it then tracks its jobs for hours
        // without being overdue, so the health check does not count it.
        using var tracked = health.Track(execution, only is null ? deadline : null);
        using var activity = telemetry.StartExecution(execution);
        try
        {
            // The record may have been edited since the occurrence fired: the current one decides, if it can run.
            schedule = await store.GetScheduleAsync(schedule.Id, stopping).ConfigureAwait(false) ?? schedule;
            if (ScheduleRules.Problems(schedule) is { Count: > 0 } problems)
            {
                throw new InvalidScheduleException(schedule.Id, problems);
            }
            var selection = await SelectAsync(schedule, state, only, stopping).ConfigureAwait(false);
            var eligible = await CheckAsync(schedule, selection, state, stopping).ConfigureAwait(false);
            await state.PersistAsync().ConfigureAwait(false);

            using var scope = services.GetRequiredService<IDiscoveryScopeFactory>().CreateScope(eligible.Select(e => Target(schedule, e.Vm, e.Group, execution)));
            await DispatchAsync(schedule, eligible, scope, state, deadline, startAt, working, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown: whatever has not finished is recorded below.
        }
        catch (LeaseLostException)
        {
            // Another instance owns the record now: this run ends without writing (not a crash).
            SchedulerLog.ExecutionAbandoned(logger, execution.Id);
            throw;
        }
#pragma warning disable CA1031 // A store or host failure must end the execution with a record, not leave it running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.ExecutionCrashed(logger, ex, execution.Id);
            state.Fail(ex.Message);
        }

        working.Dispose();
        var final = await FinishAsync(state, decided, stopping).ConfigureAwait(false);
        SchedulerTelemetry.EndExecution(activity, final);
        return final;
    }

    /// <summary>The schedule's VMs, or of them only <paramref name="only"/> (the ones the RPO planner starts), in selection order.</summary>
    private async Task<List<(ScheduledVm Vm, MachineGroup Group)>> SelectAsync(ReplicationSchedule schedule, ExecutionState state, IReadOnlySet<string>? only, CancellationToken ct)
    {
        var read = await VmSelection.ReadAsync(store, schedule, ct).ConfigureAwait(false);

        // Paused groups and VMs are skipped at selection, each with its pause's words; the other VMs run.
        var inForce = await pauses.InForceAsync(ct).ConfigureAwait(false);
        var pausedVms = inForce.Where(p => p.Target.Kind == PauseTargetKind.Vm).ToDictionary(p => p.Target.Id, StringComparer.Ordinal);
        var pausedGroups = inForce.Where(p => p.Target.Kind == PauseTargetKind.Group).ToDictionary(p => p.Target.Id, StringComparer.Ordinal);
        var skippedBy = new List<PauseState>();
        foreach (var problem in read.GroupProblems)
        {
            SchedulerLog.InvalidSchedule(logger, schedule.Id, problem);
        }

        var selection = new List<(ScheduledVm, MachineGroup)>();
        foreach (var (membership, group, vm, problem) in read.Candidates.Where(c => only is null || only.Contains(c.Membership.VmContextId)))
        {
            if (vm is null || problem is not null)
            {
                state.Set(Skip(membership.VmContextId, vm?.VmName ?? membership.VmContextId, group.Id, SkipReason.CheckFailed, problem!));
            }
            else if (pausedVms.TryGetValue(vm.ContextId, out var pause) || pausedGroups.TryGetValue(group.Id, out pause))
            {
                state.Set(Skip(vm.ContextId, vm.VmName, group.Id, SkipReason.Paused, pause.Describe()));
                if (!skippedBy.Contains(pause))
                {
                    skippedBy.Add(pause);
                }
            }
            else
            {
                // Every selected VM has its outcome from here on, so a stop or a crash during the checks still accounts for it.
                state.Set(new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.Pending });
                selection.Add((vm, group));
            }
        }

        await TallyAsync(skippedBy, state.Id, ct).ConfigureAwait(false);
        return selection;
    }

    /// <summary>Each pause that skipped VMs here counts this execution once; a failed count is logged, never the execution's failure.</summary>
    private async Task TallyAsync(List<PauseState> skippedBy, string executionId, CancellationToken ct)
    {
        foreach (var pause in skippedBy)
        {
            try
            {
                await pauses.RecordSkipAsync(pause.Id, executionId, null, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The VMs are skipped and recorded either way: only the pause's tally misses one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SchedulerLog.PauseTallyFailed(logger, ex, executionId, pause.Target);
            }
        }
    }

    private async Task<List<(ScheduledVm Vm, MachineGroup Group)>> CheckAsync(ReplicationSchedule schedule, List<(ScheduledVm Vm, MachineGroup Group)> selection, ExecutionState state, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var results = new SkipResult?[selection.Count];
        var oma = services.GetRequiredService<IOmaClient>();
        var liveness = services.GetRequiredService<IJobLivenessPolicy>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, selection.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.CheckParallelism, CancellationToken = ct },
            async (i, token) => results[i] = VmSelection.TargetProblem(selection[i].Vm) is null ? await GuardedCheckAsync(oma, liveness, schedule, selection[i].Vm, state, token).ConfigureAwait(false) : null).ConfigureAwait(false);

        foreach (var breach in await rpo.CheckAsync(schedule, [.. selection.Select(s => s.Vm)], now, ct).ConfigureAwait(false))
        {
            telemetry.RpoBreach(breach.ScheduleId);
            SchedulerLog.RpoBreached(logger, state.Id, breach.VmName, breach.RpoTarget, breach.LastCompletedJobAt);
            await events.RpoBreachedAsync(breach, ct).ConfigureAwait(false);
        }

        var eligible = new List<(ScheduledVm, MachineGroup)>();
        for (var i = 0; i < selection.Count; i++)
        {
            var (vm, group) = selection[i];
            if (results[i] is { } skip)
            {
                state.Set(Skip(vm.ContextId, vm.VmName, group.Id, skip.Reason, skip.Text));
            }
            else if (VmSelection.TargetProblem(vm) is { } problem)
            {
                state.Set(new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.CreateFailed, Reason = problem, CompletedAt = now });
            }
            else
            {
                eligible.Add((vm, group));
            }
        }

        return eligible;
    }

    /// <summary>How many times a VM's check is made before a failure to make it skips the VM (<see cref="SkipReason.CheckFailed"/>).</summary>
    internal const int CheckAttempts = 3;

    /// <summary>
    /// A check that could not be made (an appliance unreachable or answering 5xx or garbage past the read pipeline's own
    /// retries) is made again, up to <see cref="CheckAttempts"/> times, before the VM is skipped: under scattered faults
    /// one unlucky run of failed reads would otherwise skip a VM a moment later's check would let through.
    /// </summary>
    private static async Task<SkipResult?> GuardedCheckAsync(IOmaClient oma, IJobLivenessPolicy liveness, ReplicationSchedule schedule, ScheduledVm vm, ExecutionState state, CancellationToken ct)
    {
        var result = await GuardedCheckOnceAsync(oma, liveness, schedule, vm, state, ct).ConfigureAwait(false);
        for (var attempt = 1; attempt < CheckAttempts && result is { Reason: SkipReason.CheckFailed }; attempt++)
        {
            result = await GuardedCheckOnceAsync(oma, liveness, schedule, vm, state, ct).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>A VM's check never ends the execution: whatever it throws (bar a shutdown) is that VM's <see cref="SkipReason.CheckFailed"/>.</summary>
    private static async Task<SkipResult?> GuardedCheckOnceAsync(IOmaClient oma, IJobLivenessPolicy liveness, ReplicationSchedule schedule, ScheduledVm vm, ExecutionState state, CancellationToken ct)
    {
        try
        {
            return await CheckOneAsync(oma, liveness, schedule, vm, state, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (ReplicationTransportException ex)
        {
            state.NoteUnreachable(ex);
            return new(SkipReason.CheckFailed, $"could not check the VM for an active job: {ex.Message}");
        }
#pragma warning disable CA1031 // One VM's unexpected failure is that VM's outcome, not the execution's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new(SkipReason.CheckFailed, $"could not check the VM for an active job: {ex.Message}");
        }
    }

    /// <summary>The checks, in the documented order; the first that applies is the reason. Fails closed.</summary>
    private static async Task<SkipResult?> CheckOneAsync(IOmaClient oma, IJobLivenessPolicy liveness, ReplicationSchedule schedule, ScheduledVm vm, ExecutionState state, CancellationToken ct)
    {
        if (VmSelection.StoreCheck(schedule, vm) is { } skip)
        {
            return new(skip.Reason, skip.Text);
        }

        try
        {
            VmContextDetails details;
            try
            {
                details = await oma.GetVmContextAsync(vm.VmName, ct).ConfigureAwait(false);
            }
            catch (OmaNotFoundException)
            {
                return null; // never managed: nothing can be active
            }

            if (VmSelection.FailoverStates.Contains(details.Context.CurrentStatus))
            {
                return new(SkipReason.VmInFailover, $"the OMA reports failover state '{details.Context.CurrentStatus}'");
            }

            if (string.IsNullOrEmpty(details.Context.CurrentJobId))
            {
                return null;
            }

            // The tracker's and the 409 classifier's policy: ended, missing (a dangling current_job_id) and stale jobs go on
            // to the create, whose 409 the submitter reports as a stale job; unknown fails closed, never as stale.
            var verdict = await liveness.JudgeAsync(details.Context.CurrentJobId, null, ct).ConfigureAwait(false);
            switch (verdict.Liveness)
            {
                case JobLiveness.Active:
                    return new(SkipReason.ActiveJob, verdict.Reason);
                case JobLiveness.Unknown:
                    if (verdict.Error is ReplicationTransportException unreachable)
                    {
                        state.NoteUnreachable(unreachable);
                    }

                    return new(SkipReason.CheckFailed, $"could not check the VM for an active job: {verdict.Reason}");
                default:
                    return null;
            }
        }
        catch (ReplicationException ex) when (ex is not ReplicationTransportException)
        {
            return new(SkipReason.CheckFailed, $"could not check the VM for an active job: {ex.Message}");
        }
    }

    private async Task DispatchAsync(ReplicationSchedule schedule, List<(ScheduledVm Vm, MachineGroup Group)> eligible, IDiscoveryScope scope, ExecutionState state, DateTimeOffset? deadline, DateTimeOffset? startAt, ExecutionActivity.Work working, CancellationToken stopping)
    {
        // With a spread, each VM waits for its own start; among the VMs due, the selection order (priorities) decides.
        var from = startAt is { } deferred && deferred > SpreadOffset.From(state.Record) ? deferred : SpreadOffset.From(state.Record);

        // The window's closing (or a blackout's beginning) is an earlier deadline for starting VMs, with its own outcome;
        // running jobs are not touched (the OMA has no cancel endpoint, and deleting a job destroys its volumes).
        var close = WindowGate.CloseAfter(schedule, state.Record.TriggerKind, from);
        var closes = close is { } c && (deadline is null || c.At < deadline) ? close : null;
        var limit = Earliest(deadline, closes?.At);
        var pending = eligible.Select(e => (e.Vm, e.Group, NotBefore: from + SpreadOffset.Of(schedule, e.Vm.ContextId))).ToList();
        var running = new List<Task>();
        var retry = BuildRetryPipeline(schedule, state, limit);
        string? stoppedBy = null;
        while (pending.Count > 0 && !stopping.IsCancellationRequested && (limit is null || time.GetUtcNow() < limit))
        {
            // Another execution of the schedule may have replaced this one (CancelOther), on any instance: asked before each start.
            if ((stoppedBy = await StopRequestAsync(state, stopping).ConfigureAwait(false)) is not null)
            {
                SchedulerLog.ExecutionStopRequested(logger, state.Id, stoppedBy, pending.Count);
                state.StopRequested(stoppedBy, $"execution {stoppedBy} asked it to stop starting VMs (overlap policy CancelOther): {pending.Count} VMs not started");
                break;
            }

            var released = slots.NextRelease;
            var now = time.GetUtcNow();
            var picked = pending.FindIndex(p => p.NotBefore <= now && slots.TryReserve(schedule.Id, schedule.MaxConcurrentJobs, p.Group.Id, p.Group.MaxConcurrentVms, options.Value.MaxConcurrentJobs));
            if (picked >= 0)
            {
                var (vm, group, _) = pending[picked];
                pending.RemoveAt(picked);
                running.Add(ProcessVmAsync(schedule, vm, group, scope, retry, state, stopping));
                continue;
            }

            var nextStart = pending.Where(p => p.NotBefore > now).Select(p => (DateTimeOffset?)p.NotBefore).Min();
            await WaitForRoomAsync(released, Earliest(limit, nextStart), working, stopping).ConfigureAwait(false);
        }

        foreach (var (vm, group, notBefore) in pending)
        {
            var outcome = new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.NotStarted, CompletedAt = time.GetUtcNow() };
            outcome = stoppedBy is not null
                ? outcome with { Kind = VmOutcomeKind.Cancelled, Reason = $"execution {stoppedBy} of this schedule replaced this one before the VM started (overlap policy CancelOther)" }
                : stopping.IsCancellationRequested
                ? outcome with { Kind = VmOutcomeKind.Cancelled, Reason = "the host shut down before the VM started" }
                : closes is not null
                    ? outcome with { Kind = VmOutcomeKind.NotStartedWindowClosed, Reason = notBefore >= closes.At ? $"{closes.Reason} (its spread start {notBefore:O} is not before it)" : closes.Reason }
                    : outcome with { Reason = notBefore >= deadline ? $"its spread start {notBefore:O} is not before the execution deadline {deadline:O}" : $"no slot before the execution deadline {deadline:O}" };
            await RecordFinalAsync(state, outcome, stopping).ConfigureAwait(false);
        }

        // Every start is decided: what is left (tracking the jobs, the final record) waits on timers of its own.
        working.Dispose();
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>A failed read of the request is not a reason to fail the execution: it goes on and asks again before the next VM.</summary>
    private async Task<string?> StopRequestAsync(ExecutionState state, CancellationToken stopping)
    {
        try
        {
            return await executions.GetStopRequestAsync(state.Id, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // Past the store's retries: starting the VM is what the execution would have done without the policy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.StopRequestReadFailed(logger, ex, state.Id);
            return null;
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    // Wakes when a slot is released or at wakeAt (the deadline, or the next spread start), whichever is first.
    private async Task WaitForRoomAsync(Task released, DateTimeOffset? wakeAt, ExecutionActivity.Work working, CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = new List<Task> { released };
        if (wakeAt is { } d)
        {
            // A deadline can be months away (a yearly schedule's next occurrence), beyond what a timer can wait: waking
            // once a day only makes the dispatch loop look again.
            var left = d - time.GetUtcNow();
            waits.Add(Task.Delay(left <= TimeSpan.Zero ? TimeSpan.Zero : left > MaxRoomWait ? MaxRoomWait : left, time, cts.Token));
        }

        working.Park(CollectionsMarshal.AsSpan(waits));
        try
        {
            await Task.WhenAny(waits).WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The dispatch loop sees the shutdown.
        }
        finally
        {
            working.Wake();
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    private ResiliencePipeline<SubmissionResult> BuildRetryPipeline(ReplicationSchedule schedule, ExecutionState state, DateTimeOffset? deadline)
    {
        var builder = new ResiliencePipelineBuilder<SubmissionResult> { TimeProvider = time };
        if (schedule.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<SubmissionResult>
            {
                MaxRetryAttempts = schedule.RetryAttempts,
                Delay = schedule.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                // Only transient failures, and only if the next attempt can still start before the deadline. A create
                // whose answers were lost but that reconciliation proved never happened (NotCreated) is as safe to try
                // again as one never sent: the next attempt discovers and reads the context afresh.
                // 400s, 409s, build errors and unresolved outcome-unknowns are never retried.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result is { Status: SubmissionStatus.Failed, IsTransient: true } or { Status: SubmissionStatus.NotCreated }
                    && (deadline is null || time.GetUtcNow() + schedule.RetryDelay < deadline)),
                OnRetry = args =>
                {
                    SchedulerLog.Retrying(logger, state.Id, args.Outcome.Result?.Target.VmName ?? "?", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private async Task ProcessVmAsync(ReplicationSchedule schedule, ScheduledVm vm, MachineGroup group, IDiscoveryScope scope, ResiliencePipeline<SubmissionResult> retry, ExecutionState state, CancellationToken stopping)
    {
        var started = time.GetUtcNow();
        var attempts = 0;
        VmOutcome outcome;
        using var activity = SchedulerTelemetry.StartVm(state.Id, vm, group.Id);
        try
        {
            state.Set(new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.Submitting, StartedAt = started });
            await state.PersistAsync().ConfigureAwait(false);

            var target = Target(schedule, vm, group, state.Record);
            var submitter = services.GetRequiredService<IReplicationJobSubmitter>();
            var resent = false;
            var result = await retry.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    await starts.AcquireAsync(ct).ConfigureAwait(false);
                    var r = await submitter.SubmitAsync(target, scope, ct).ConfigureAwait(false);
                    if (r.Status == SubmissionStatus.NotCreated && !resent)
                    {
                        // Reconciliation proved nothing was created: exactly one resend is safe.
                        resent = true;
                        attempts++;
                        await starts.AcquireAsync(ct).ConfigureAwait(false);
                        r = await submitter.SubmitAsync(target, scope, ct).ConfigureAwait(false);
                    }

                    return r;
                },
                stopping).ConfigureAwait(false);

            if (result.Error is ReplicationTransportException unreachable && !result.IsSuccess)
            {
                state.NoteUnreachable(unreachable);
            }

            outcome = await OutcomeOfAsync(result, vm, group, attempts, started, state, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            outcome = new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.Cancelled, Attempts = attempts, StartedAt = started, Reason = "the host shut down before a job was created" };
        }
#pragma warning disable CA1031 // One VM's unexpected failure is that VM's outcome, not the execution's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new VmOutcome { ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.CreateFailed, Attempts = attempts, StartedAt = started, Reason = ex.Message };
        }
        finally
        {
            slots.Release(schedule.Id, group.Id);
        }

        outcome = outcome with { CompletedAt = time.GetUtcNow() };
        SchedulerTelemetry.EndVm(activity, outcome);
        await RecordFinalAsync(state, outcome, stopping).ConfigureAwait(false);
        if (outcome is { Kind: VmOutcomeKind.JobCompleted, CompletedAt: { } completedAt })
        {
            // After the outcome is durable: a store that reads completions from the outcome rows then sees this one.
            if (await rpo.CompletedAsync(schedule.Id, vm.ContextId, completedAt, stopping).ConfigureAwait(false) is { } ended)
            {
                telemetry.RpoRecovered();
                SchedulerLog.RpoRecovered(logger, state.Id, vm.VmName, ended.RpoTarget, completedAt);
                await events.RpoRecoveredAsync(ended, completedAt, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<VmOutcome> OutcomeOfAsync(SubmissionResult result, ScheduledVm vm, MachineGroup group, int attempts, DateTimeOffset started, ExecutionState state, CancellationToken stopping)
    {
        var baseOutcome = new VmOutcome
        {
            ContextId = vm.ContextId, VmName = vm.VmName, GroupId = group.Id, Kind = VmOutcomeKind.CreateFailed, Attempts = attempts,
            StartedAt = started, JobId = result.JobId, Drift = result.Plan?.Drift, Reason = result.Reason,
        };

        switch (result.Status)
        {
            case SubmissionStatus.JobCreated or SubmissionStatus.JobAdopted:
                var running = baseOutcome with { Kind = VmOutcomeKind.JobInProgress, Reason = result.Status == SubmissionStatus.JobAdopted ? result.Reason : null };
                state.Set(running);
                await state.PersistAsync().ConfigureAwait(false);
                SchedulerLog.JobStarted(logger, state.Id, vm.VmName, result.JobId!);
                await events.JobStartedAsync(state.Snapshot(), running, stopping).ConfigureAwait(false);
                var (kind, reason) = await new JobTracker(services.GetRequiredService<IJobLivenessPolicy>(), options.Value, time, telemetry).TrackAsync(result.JobId!, stopping).ConfigureAwait(false);
                return running with { Kind = kind, Reason = reason ?? running.Reason };
            case SubmissionStatus.ActiveJobExists:
                return baseOutcome with { Kind = VmOutcomeKind.Skipped, SkipReason = SkipReason.ActiveJob };
            case SubmissionStatus.BlockedByStaleJob:
                return baseOutcome with { Kind = VmOutcomeKind.BlockedByStaleJob };
            case SubmissionStatus.OutcomeUnknown when stopping.IsCancellationRequested:
                return baseOutcome with { Kind = VmOutcomeKind.OutcomeUnknown, Reason = "the host shut down after the create was sent; " + result.Reason };
            case SubmissionStatus.OutcomeUnknown:
                return baseOutcome with { Kind = VmOutcomeKind.OutcomeUnknown };
            case SubmissionStatus.NotCreated:
                return baseOutcome with { Reason = $"the create's answer was lost twice and no job was created either time ({attempts} attempts)" };
            case SubmissionStatus.Failed:
                return baseOutcome with { Reason = result.IsTransient ? $"{result.Reason} (transient; {attempts} attempts)" : result.Reason };
            default:
                return baseOutcome with { Reason = $"unexpected submission status {result.Status}" };
        }
    }

    private async Task RecordFinalAsync(ExecutionState state, VmOutcome outcome, CancellationToken stopping)
    {
        state.Set(outcome);
        await state.PersistAsync().ConfigureAwait(false);
        telemetry.Outcome(outcome);
        SchedulerLog.VmOutcome(logger, state.Id, outcome.VmName, outcome.Kind, outcome.JobId ?? "-", outcome.Reason ?? "");
        await events.VmOutcomeAsync(state.Snapshot(), outcome, stopping.IsCancellationRequested ? CancellationToken.None : stopping).ConfigureAwait(false);
    }

    private async Task<ScheduleExecution> FinishAsync(ExecutionState state, Action? decided, CancellationToken stopping)
    {
        var cancelled = stopping.IsCancellationRequested;

        // Anything not final (a stop or a failure before the VM finished) gets an honest outcome.
        foreach (var open in state.Open())
        {
            state.Set(open with
            {
                Kind = open.Kind == VmOutcomeKind.Submitting ? VmOutcomeKind.OutcomeUnknown : VmOutcomeKind.Cancelled,
                Reason = state.Error is { } error ? $"the execution failed: {error}"
                    : cancelled ? (open.Kind == VmOutcomeKind.Submitting ? "the host shut down during the submission; reconcile before resending" : "the host shut down before the VM started")
                    : "the execution ended before the VM finished",
                CompletedAt = time.GetUtcNow(),
            });
        }

        var final = state.Finish(cancelled ? ExecutionStatus.Cancelled : null, time.GetUtcNow());
        decided?.Invoke();
        await FinalWrite.UntilDurableAsync(state.PersistAsync, state.Id, time, logger, stopping).ConfigureAwait(false);
        telemetry.Execution(final);
        SchedulerLog.ExecutionFinished(logger, final.Id, final.Status, final.VmsEligible, final.JobsCreated, final.JobsCompleted, final.JobsFailed, final.JobsSkipped);
        await events.FinishedAsync(final).ConfigureAwait(false);
        return final;
    }

    internal ReplicationTarget Target(ReplicationSchedule schedule, ScheduledVm vm, MachineGroup group, ScheduleExecution execution) => new()
    {
        VmName = vm.VmName,
        VmwareVmId = vm.VmwareVmId,
        VmPath = vm.VmPath,
        VCenterHost = vm.VCenterHost,
        Datacenter = vm.Datacenter,
        StoredSpec = vm.LastKnownSpec,
        Settings = new ReplicationJobSettings
        {
            OsseaConfigId = vm.OsseaConfigId ?? group.OsseaConfigId ?? schedule.OsseaConfigId,
            TargetNetwork = vm.TargetNetwork ?? group.TargetNetwork ?? schedule.TargetNetwork,
            ReplicationType = schedule.ReplicationType,
            ScheduleExecutionId = execution.Id,
            VmGroupId = group.Id,
            ScheduledBy = execution.TriggerKind is TriggerKind.Manual or TriggerKind.Backfill ? execution.TriggeredBy : options.Value.ScheduledBy,
            StartReplication = true,
        },
    };

    private static VmOutcome Skip(string contextId, string vmName, string groupId, SkipReason reason, string text) =>
        new() { ContextId = contextId, VmName = vmName, GroupId = groupId, Kind = VmOutcomeKind.Skipped, SkipReason = reason, Reason = text };

    private sealed record SkipResult(SkipReason Reason, string Text);
}
