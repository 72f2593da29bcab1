namespace Replication.Sdk.Scheduling;

/// <summary>Where a VM stands against its RPO target.</summary>
public enum RpoState
{
    /// <summary>Its newest replica is within the target, and the forecast keeps it there.</summary>
    Meeting = 0,

    /// <summary>Within the target now, but the forecast says it will breach within 24 hours.</summary>
    AtRisk = 1,

    /// <summary>Its newest replica is older than the target, or it has none.</summary>
    Breached = 2,
}

/// <summary>A VM's RPO state now (<see cref="IRpoForecaster.GetStatusAsync"/>).</summary>
public sealed record RpoStatus
{
    /// <summary>How far ahead the state's forecast looks.</summary>
    public static readonly TimeSpan StatusHorizon = TimeSpan.FromHours(24);

    /// <summary>Gets the VM context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the group it runs in.</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets the state.</summary>
    public required RpoState State { get; init; }

    /// <summary>Gets the target.</summary>
    public required TimeSpan RpoTarget { get; init; }

    /// <summary>Gets the age of its newest replica; <see langword="null"/> if it has none.</summary>
    public TimeSpan? Age { get; init; }

    /// <summary>Gets when its newest replica's job completed.</summary>
    public DateTimeOffset? LastCompletedJobAt { get; init; }

    /// <summary>Gets when its next job is predicted to start, if within 24 hours.</summary>
    public DateTimeOffset? PredictedNextStartAt { get; init; }

    /// <summary>Gets its forecast worst age over the next 24 hours.</summary>
    public TimeSpan? ForecastWorstAge { get; init; }

    /// <summary>Gets the share of the past 24 hours with its age within the target, in percent, from the completions known.</summary>
    /// <value>Counted from its first known completion if that is more recent; <see langword="null"/> when none is known.</value>
    public double? CompliancePercent24h { get; init; }

    /// <summary>Gets the share of the past 7 days with its age within the target, in percent, as <see cref="CompliancePercent24h"/>.</summary>
    public double? CompliancePercent7d { get; init; }

    internal static RpoStatus Of(VmRpoForecast vm, TimeSpan target, DateTimeOffset now, IReadOnlyList<DateTimeOffset> completions)
    {
        var age = vm.LastCompletedJobAt is { } last ? now - last : (TimeSpan?)null;
        var state = age is not { } a || a > target ? RpoState.Breached : vm.Attainable ? RpoState.Meeting : RpoState.AtRisk;
        return new RpoStatus
        {
            ContextId = vm.ContextId, VmName = vm.VmName, GroupId = vm.GroupId, State = state, RpoTarget = target, Age = age,
            LastCompletedJobAt = vm.LastCompletedJobAt, PredictedNextStartAt = vm.NextStartAt, ForecastWorstAge = vm.WorstAge,
            CompliancePercent24h = RpoCompliance.PastPercent(completions, now, TimeSpan.FromHours(24), target),
            CompliancePercent7d = RpoCompliance.PastPercent(completions, now, TimeSpan.FromDays(7), target),
        };
    }
}
