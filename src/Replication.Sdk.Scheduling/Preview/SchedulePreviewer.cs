using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Computes <see cref="SchedulePreview"/>s from the stores with the engine's own rules — the same validation and parse
/// (<see cref="SchedulePlan.TryPlan"/>), the same VM selection (<see cref="VmSelection"/>), the same spread offsets
/// (<see cref="SpreadOffset"/>) and deadlines — and never calls an appliance.
/// </summary>
internal sealed class SchedulePreviewer(IScheduleStore store, IPauseStore pauses, IScheduleEvaluator evaluator, ILogger<SchedulePreviewer> logger)
{
    /// <summary>The most occurrences one schedule's preview lists; the rest are flagged <see cref="SchedulePreview.OccurrencesTruncated"/>.</summary>
    public const int MaxOccurrences = 1000;

    /// <summary>The longest range one preview covers.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    public async Task<IReadOnlyList<SchedulePreview>> PreviewAllAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        Validate(from, until);
        var plan = new SchedulePlan(store, evaluator, logger);
        var inForce = await pauses.GetPausesAsync(ct).ConfigureAwait(false);
        var previews = new List<SchedulePreview>();
        foreach (var schedule in (await store.GetSchedulesAsync(ct).ConfigureAwait(false)).OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            previews.Add(await PreviewAsync(plan, schedule, inForce, from, until, ct).ConfigureAwait(false));
        }

        return previews;
    }

    public async Task<SchedulePreview> PreviewOneAsync(string scheduleId, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        Validate(from, until);
        var schedule = await store.GetScheduleAsync(scheduleId, ct).ConfigureAwait(false) ?? throw new ScheduleNotFoundException(scheduleId);
        var inForce = await pauses.GetPausesAsync(ct).ConfigureAwait(false);
        return await PreviewAsync(new SchedulePlan(store, evaluator, logger), schedule, inForce, from, until, ct).ConfigureAwait(false);
    }

    private static void Validate(DateTimeOffset from, DateTimeOffset until)
    {
        InstantBounds.Require(from, nameof(from));
        InstantBounds.Require(until, nameof(until));
        if (until <= from)
        {
            throw new ArgumentException($"The preview range must end after it starts (from {from:O}, until {until:O}).", nameof(until));
        }

        if (until - from > MaxRange)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"A preview covers at most {MaxRange.TotalDays} days (from {from:O}).");
        }
    }

    private async Task<SchedulePreview> PreviewAsync(SchedulePlan plan, ReplicationSchedule schedule, IReadOnlyList<PauseState> inForce, DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var vms = await VmsAsync(schedule, inForce, from, ct).ConfigureAwait(false);
        var preview = new SchedulePreview { ScheduleId = schedule.Id, Name = schedule.Name, TimeZone = schedule.TimeZone, Vms = vms };
        if (!schedule.Enabled)
        {
            return preview with { Problem = "the schedule is disabled" };
        }

        if (!plan.TryPlan(schedule, out var planned, out var problem))
        {
            return preview with { Problem = problem };
        }

        if (schedule.Kind == ScheduleKind.Rpo)
        {
            // Its planning instants are not occurrences that start every VM: the forecast says what it does.
            return preview with { Problem = "an RPO schedule has no occurrences: the RPO planner starts each VM when it falls due (IRpoForecaster forecasts it)" };
        }

        // Paused at the range's start or not, a VM the store would select may run at some occurrences: a pause with a
        // resume-at ends inside the range, so pauses are applied per occurrence.
        var selected = vms.Where(v => v.Status is VmPreviewStatus.Selected or VmPreviewStatus.Paused).ToList();
        var schedulePause = inForce.FirstOrDefault(p => p.Target.Kind == PauseTargetKind.Schedule && string.Equals(p.Target.Id, schedule.Id, StringComparison.Ordinal));
        var occurrences = new List<OccurrencePreview>();
        foreach (var at in planned.Parsed.GetOccurrences(from.AddTicks(-1), until.AddTicks(-1)))
        {
            if (occurrences.Count == MaxOccurrences)
            {
                return preview with { Occurrences = occurrences, OccurrencesTruncated = true };
            }

            occurrences.Add(Occurrence(planned, at, selected, schedulePause, inForce));
        }

        return preview with { Occurrences = occurrences };
    }

    private static OccurrencePreview Occurrence(PlannedSchedule planned, DateTimeOffset at, List<VmPreview> selected, PauseState? schedulePause, IReadOnlyList<PauseState> inForce)
    {
        var scheduledFor = OccurrenceUnit.Truncate(at);
        var deadline = planned.Parsed.GetNextOccurrence(at);
        var occurrence = new OccurrencePreview
        {
            ScheduledFor = scheduledFor,
            Local = TimeZoneInfo.ConvertTime(at, planned.Parsed.TimeZone),
            Dst = DstNote.Of(planned.Parsed, at),
            Deadline = deadline,
        };
        if (schedulePause is not null && schedulePause.IsInForceAt(scheduledFor))
        {
            return occurrence with { SkipReason = ExecutionSkipReason.Paused, Reason = schedulePause.Describe() };
        }

        // The engine's gate: a blackout, then the window (skip, or defer to its opening); then its close clips the starts.
        var gate = WindowGate.Decide(planned.Schedule, TriggerKind.Scheduled, scheduledFor, deadline);
        if (gate.SkipReason is { } skip)
        {
            return occurrence with { SkipReason = skip, Reason = gate.Reason };
        }

        var from = gate.StartAt is { } deferred && deferred > scheduledFor ? deferred : scheduledFor;
        var close = WindowGate.CloseAfter(planned.Schedule, TriggerKind.Scheduled, from);
        var limit = close is { } c && (deadline is null || c.At < deadline) ? c.At : deadline;
        occurrence = occurrence with { DeferredTo = gate.StartAt, Reason = gate.Reason };

        var paused = selected.Where(v => PauseOf(inForce, v.ContextId, v.GroupId) is { } p && p.IsInForceAt(scheduledFor)).Select(v => v.ContextId).ToHashSet(StringComparer.Ordinal);
        var starts = selected.Where(v => !paused.Contains(v.ContextId)).Select(v => new PlannedStart(v.ContextId, from + v.SpreadOffset)).ToList();
        var before = starts.Where(s => limit is null || s.At < limit).OrderBy(s => s.At).ToList();
        return occurrence with
        {
            Starts = before,
            StartsPastDeadline = starts.Count - before.Count,
            PausedVms = [.. selected.Where(v => paused.Contains(v.ContextId)).Select(v => v.ContextId)],
        };
    }

    // The engine's rule: a VM pause, else its group's.
    private static PauseState? PauseOf(IReadOnlyList<PauseState> inForce, string contextId, string groupId) =>
        inForce.FirstOrDefault(p => p.Target.Kind == PauseTargetKind.Vm && string.Equals(p.Target.Id, contextId, StringComparison.Ordinal))
        ?? inForce.FirstOrDefault(p => p.Target.Kind == PauseTargetKind.Group && string.Equals(p.Target.Id, groupId, StringComparison.Ordinal));

    private async Task<List<VmPreview>> VmsAsync(ReplicationSchedule schedule, IReadOnlyList<PauseState> inForce, DateTimeOffset from, CancellationToken ct)
    {
        var read = await VmSelection.ReadAsync(store, schedule, ct).ConfigureAwait(false);
        var vms = new List<VmPreview>();
        foreach (var (membership, group, vm, problem) in read.Candidates)
        {
            var preview = new VmPreview { ContextId = membership.VmContextId, VmName = vm?.VmName ?? membership.VmContextId, GroupId = group.Id, SpreadOffset = SpreadOffset.Of(schedule, membership.VmContextId) };
            vms.Add(vm is null ? preview with { Status = VmPreviewStatus.ContextMissing, Reason = problem }
                : PauseOf(inForce, vm.ContextId, group.Id) is { } pause && pause.IsInForceAt(from) ? preview with { Status = VmPreviewStatus.Paused, Reason = pause.Describe() }
                : problem is not null ? preview with { Status = VmPreviewStatus.GroupInvalid, Reason = problem }
                : VmSelection.StoreCheck(schedule, vm) is { } skip ? preview with { Status = StatusOf(skip.Reason), Reason = skip.Text }
                : VmSelection.TargetProblem(vm) is { } notATarget ? preview with { Status = VmPreviewStatus.NotATarget, Reason = notATarget }
                : preview);
        }

        foreach (var (membership, vm) in read.DisabledMemberships)
        {
            vms.Add(new VmPreview
            {
                ContextId = membership.VmContextId, VmName = vm?.VmName ?? membership.VmContextId, GroupId = membership.GroupId,
                Status = VmPreviewStatus.NotAMember, Reason = "the VM's membership of the group is disabled",
                SpreadOffset = SpreadOffset.Of(schedule, membership.VmContextId),
            });
        }

        return vms;
    }

    private static VmPreviewStatus StatusOf(SkipReason reason) => reason switch
    {
        SkipReason.ScheduleDisabled => VmPreviewStatus.ScheduleDisabled,
        SkipReason.VmDisabled => VmPreviewStatus.VmDisabled,
        _ => VmPreviewStatus.VmInFailover,
    };
}
