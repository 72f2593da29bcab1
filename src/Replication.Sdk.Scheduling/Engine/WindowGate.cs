using System.Globalization;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The replication window and blackout rules, in one place for the start of an occurrence and for the execution's close:
/// a blackout wins over the window; an occurrence outside the window is skipped or deferred per
/// <see cref="ReplicationSchedule.OutsideWindowPolicy"/>; a manual trigger ignores the window (the operator asked for this
/// run) but never starts in a blackout (someone declared that nothing may start then, and a routine trigger must not
/// override that). Instants are evaluated where the execution's VMs would start: the occurrence itself for a cron
/// occurrence, so a wake-up a few milliseconds late never changes the decision, and the moment of starting otherwise.
/// </summary>
internal static class WindowGate
{
    /// <summary>Blackouts chained back to back are followed this far when looking for an opening.</summary>
    private const int MaxHops = 256;

    /// <summary>
    /// What happens to an execution about to start at <paramref name="at"/>. A backfill is never deferred (it runs when
    /// asked or not at all): outside the window it is skipped whatever the schedule's <see cref="OutsideWindowPolicy"/>.
    /// </summary>
    public static Decision Decide(ReplicationSchedule schedule, TriggerKind kind, DateTimeOffset at, DateTimeOffset? nextOccurrence)
    {
        if (BlackoutAt(schedule, at) is { } blackout)
        {
            return Decision.Skip(ExecutionSkipReason.Blackout, Text($"{Describe(kind, at)} is inside the blackout period {blackout.From:O} to {blackout.To:O}: {blackout.Reason ?? "no reason given"}"));
        }

        if (kind == TriggerKind.Manual || schedule.Window is not { } window || WindowClock.IsOpen(window, Zone(schedule), at))
        {
            return Decision.Run;
        }

        var outside = Text($"{Describe(kind, at)} is outside the replication window '{window}' ({Zone(schedule).Id})");
        var opening = NextAllowed(schedule, at);
        if (schedule.OutsideWindowPolicy != OutsideWindowPolicy.Defer || kind == TriggerKind.Backfill)
        {
            return Decision.Skip(ExecutionSkipReason.Window, opening is { } next ? Text($"{outside}; it opens next at {next:O}") : outside);
        }

        if (opening is not { } start)
        {
            return Decision.Skip(ExecutionSkipReason.Window, Text($"{outside} and does not open again within two weeks outside a blackout; nothing to defer to"));
        }

        if (nextOccurrence is { } following && following <= start)
        {
            // The deferred run would still be waiting when the next occurrence comes: that one supersedes it.
            return Decision.Skip(ExecutionSkipReason.Window, Text($"{outside}; deferred to its next opening at {start:O}, it is superseded by the next occurrence {following:O}, which comes first"));
        }

        return Decision.Defer(start, Text($"deferred: {outside}; it starts when the window opens at {start:O}"));
    }

    /// <summary>
    /// When a running execution stops starting VMs: the window's next closing (not for manual triggers) or the next
    /// blackout's beginning, whichever is first; <see langword="null"/> if neither comes.
    /// </summary>
    public static Close? CloseAfter(ReplicationSchedule schedule, TriggerKind kind, DateTimeOffset from)
    {
        Close? close = null;
        if (kind != TriggerKind.Manual && schedule.Window is { } window && WindowClock.NextClosing(window, Zone(schedule), from) is { } closes)
        {
            close = new Close(closes, Text($"the replication window '{window}' ({Zone(schedule).Id}) closed at {closes:O} before the VM started"));
        }

        foreach (var blackout in schedule.Blackouts)
        {
            var begins = blackout.Contains(from) ? from : blackout.From;
            if (begins >= from && (close is null || begins < close.At))
            {
                close = new Close(begins, Text($"the blackout period {blackout.From:O} to {blackout.To:O} began before the VM started: {blackout.Reason ?? "no reason given"}"));
            }
        }

        return close;
    }

    /// <summary>The schedule's zone (already validated by the evaluator's parse; UTC for an empty id).</summary>
    public static TimeZoneInfo Zone(ReplicationSchedule schedule) =>
        !string.IsNullOrWhiteSpace(schedule.TimeZone) && TimeZoneCache.TryFind(schedule.TimeZone.Trim(), out var zone) ? zone : TimeZoneInfo.Utc;

    private static BlackoutPeriod? BlackoutAt(ReplicationSchedule schedule, DateTimeOffset at) => schedule.Blackouts.FirstOrDefault(b => b.Contains(at));

    /// <summary>The first instant ≥ <paramref name="from"/> inside the window and outside every blackout.</summary>
    public static DateTimeOffset? NextAllowed(ReplicationSchedule schedule, DateTimeOffset from)
    {
        var window = schedule.Window ?? ReplicationWindow.Always;
        var zone = Zone(schedule);
        DateTimeOffset? at = from;
        for (var hop = 0; hop < MaxHops && at is { } t; hop++)
        {
            at = WindowClock.NextOpening(window, zone, t);
            if (at is not { } open || BlackoutAt(schedule, open) is not { } blackout)
            {
                return at;
            }

            at = blackout.To;
        }

        return null;
    }

    private static string Describe(TriggerKind kind, DateTimeOffset at) => kind switch
    {
        TriggerKind.Scheduled => Text($"occurrence {at:O}"),
        TriggerKind.Manual => Text($"the manual trigger at {at:O}"),
        _ => Text($"the {kind} execution starting at {at:O}"),
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>When and why a running execution stops starting VMs.</summary>
    public sealed record Close(DateTimeOffset At, string Reason);

    /// <summary>Run now, skip (with the reason), or start at <see cref="StartAt"/>.</summary>
    public sealed record Decision(ExecutionSkipReason? SkipReason, string? Reason, DateTimeOffset? StartAt)
    {
        public static readonly Decision Run = new(null, null, null);

        public static Decision Skip(ExecutionSkipReason reason, string text) => new(reason, text, null);

        public static Decision Defer(DateTimeOffset startAt, string text) => new(null, text, startAt);
    }
}
