namespace Replication.Sdk.Scheduling;

/// <summary>
/// What a claimed execution does about the executions of its schedule that still run, by the schedule's
/// <see cref="OverlapPolicy"/>: exactly one of skip (with the reason), wait behind some, or replace some.
/// </summary>
internal sealed record OverlapDecision(string? Skip, IReadOnlyList<string>? BufferBehind, IReadOnlyList<string>? Replace)
{
    /// <param name="policy">The schedule's policy.</param>
    /// <param name="running">The schedule's other running executions (at least one), oldest first.</param>
    public static OverlapDecision Decide(OverlapPolicy policy, IReadOnlyList<ScheduleExecution> running)
    {
        // A buffered execution still waits while what it waits behind runs; once that ended, it is the running one.
        var waiting = running.Where(e => e.BufferedBehind is { } behind && running.Any(r => r.Id == behind)).ToList();
        var active = running.Except(waiting).ToList();
        var first = (active.Count > 0 ? active : waiting)[0].Id;
        return policy switch
        {
            OverlapPolicy.BufferOne when waiting.Count > 0 =>
                new($"execution {waiting[0].Id} is already buffered behind {waiting[0].BufferedBehind} (overlap policy BufferOne: at most one waits)", null, null),
            OverlapPolicy.BufferOne => new(null, [.. active.Select(e => e.Id)], null),
            OverlapPolicy.CancelOther => new(null, null, [.. running.Select(e => e.Id)]),
            _ => new($"execution {first} of this schedule is still running (overlap policy {policy})", null, null),
        };
    }
}
