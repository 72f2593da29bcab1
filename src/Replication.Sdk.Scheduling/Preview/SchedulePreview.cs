namespace Replication.Sdk.Scheduling;

/// <summary>
/// What one schedule would do over a range, computed from the stores alone (no appliance is called): its occurrences and
/// the VMs an execution would take, or why it would not run at all.
/// </summary>
public sealed record SchedulePreview
{
    /// <summary>Gets the schedule id.</summary>
    public required string ScheduleId { get; init; }

    /// <summary>Gets the schedule's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the schedule's time zone id.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Gets why the schedule would not fire at all (disabled, an invalid setting or expression), or <see langword="null"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>Gets the occurrences in the range, oldest first (none when <see cref="Problem"/> is set).</summary>
    public IReadOnlyList<OccurrencePreview> Occurrences { get; init; } = [];

    /// <summary>Gets a value indicating whether the range held more occurrences than the preview lists.</summary>
    public bool OccurrencesTruncated { get; init; }

    /// <summary>Gets every VM of the schedule's groups: those an execution would take, in run order, then the others with the reason.</summary>
    public IReadOnlyList<VmPreview> Vms { get; init; } = [];
}
