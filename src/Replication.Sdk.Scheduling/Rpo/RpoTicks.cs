namespace Replication.Sdk.Scheduling;

/// <summary>
/// The planning instants of an RPO schedule as an <see cref="ISchedule"/>, so the engine's loop, index and lease fire
/// them like occurrences: every multiple of the planning interval since the Unix epoch, the same on every instance.
/// </summary>
internal sealed class RpoTicks(TimeSpan interval) : ISchedule
{
    private readonly RpoSettings _grid = RpoSettings.For(TimeSpan.FromHours(1)) with { PlanningInterval = interval };

    public string Expression => $"rpo: every {interval}";

    public TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after) => _grid.TickAtOrAfter(after.AddTicks(1));

    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until)
    {
        for (var t = _grid.TickAtOrAfter(after.AddTicks(1)); t < until; t += interval)
        {
            yield return t;
        }
    }
}
