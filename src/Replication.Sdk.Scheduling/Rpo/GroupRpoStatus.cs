namespace Replication.Sdk.Scheduling;

/// <summary>A group's RPO standing now (<see cref="IRpoForecaster.GetGroupStatusAsync"/>): its VMs by state and their compliance.</summary>
public sealed record GroupRpoStatus
{
    /// <summary>Gets the group id.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets how many of its VMs are <see cref="RpoState.Meeting"/>.</summary>
    public required int Meeting { get; init; }

    /// <summary>Gets how many of its VMs are <see cref="RpoState.AtRisk"/>.</summary>
    public required int AtRisk { get; init; }

    /// <summary>Gets how many of its VMs are <see cref="RpoState.Breached"/>.</summary>
    public required int Breached { get; init; }

    /// <summary>Gets the mean over its VMs of <see cref="RpoStatus.CompliancePercent24h"/>; <see langword="null"/> when none has a known completion.</summary>
    public double? CompliancePercent24h { get; init; }

    /// <summary>Gets the mean over its VMs of <see cref="RpoStatus.CompliancePercent7d"/>, as <see cref="CompliancePercent24h"/>.</summary>
    public double? CompliancePercent7d { get; init; }

    /// <summary>The groups of <paramref name="statuses"/>, in the order their first VM appears (the run order).</summary>
    /// <param name="statuses">The VMs' statuses.</param>
    /// <returns>One per group.</returns>
    public static IReadOnlyList<GroupRpoStatus> Of(IEnumerable<RpoStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return [.. statuses.GroupBy(s => s.GroupId, StringComparer.Ordinal).Select(g => new GroupRpoStatus
        {
            GroupId = g.Key,
            Meeting = g.Count(s => s.State == RpoState.Meeting),
            AtRisk = g.Count(s => s.State == RpoState.AtRisk),
            Breached = g.Count(s => s.State == RpoState.Breached),
            CompliancePercent24h = Mean(g.Select(s => s.CompliancePercent24h)),
            CompliancePercent7d = Mean(g.Select(s => s.CompliancePercent7d)),
        })];
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return known.Count == 0 ? null : known.Average();
    }
}
