namespace Replication.Sdk.Scheduling.MySql;

/// <summary>The change markers of the three tables a schedule is read from, and the database's clock when they were read.</summary>
internal sealed record ScheduleMarkers(TableMarker Schedules, TableMarker Settings, TableMarker Blackouts, DateTime DatabaseNow)
{
    /// <summary>
    /// A column of whole seconds (or milliseconds) cannot tell two edits in the same tick apart: while the newest edit is
    /// younger than this, the next poll reads that tick's rows again even when the markers did not move.
    /// </summary>
    public static readonly TimeSpan SameTick = TimeSpan.FromSeconds(1);

    public IEnumerable<TableMarker> Tables => [Schedules, Settings, Blackouts];
}
