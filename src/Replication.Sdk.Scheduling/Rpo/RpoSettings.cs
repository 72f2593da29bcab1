namespace Replication.Sdk.Scheduling;

/// <summary>The planner's parameters for one schedule.</summary>
/// <param name="Target">The recovery point objective R.</param>
/// <param name="Margin">Added to the predicted duration: a VM is due when age + predicted + margin ≥ R.</param>
/// <param name="Alpha">The weight of the newest job in the duration estimate.</param>
/// <param name="BytesPerSecond">The rate a VM without history is assumed to copy its disks at.</param>
/// <param name="UnknownDuration">The duration assumed without history and without disk sizes.</param>
/// <param name="PlanningInterval">How often the planner runs.</param>
internal sealed record RpoSettings(TimeSpan Target, TimeSpan Margin, double Alpha, long BytesPerSecond, TimeSpan UnknownDuration, TimeSpan PlanningInterval)
{
    /// <summary>The defaults of <see cref="RpoConstants"/> for a target.</summary>
    public static RpoSettings For(TimeSpan target) =>
        new(target, RpoConstants.DefaultMargin, RpoConstants.DefaultAlpha, RpoConstants.DefaultBytesPerSecond, RpoConstants.DefaultUnknownDuration, RpoConstants.DefaultPlanningInterval);

    /// <summary>The scheduler's configured margin, rates and interval for a target.</summary>
    public static RpoSettings From(SchedulerOptions options, TimeSpan target) =>
        new(target, options.RpoMargin, RpoConstants.DefaultAlpha, options.RpoBytesPerSecond, options.RpoDurationWithoutHistory, options.RpoPlanningInterval);

    /// <summary>The first planning instant at or after <paramref name="at"/>: planning instants are multiples of the interval since the Unix epoch, the same on every instance and in the forecast.</summary>
    public DateTimeOffset TickAtOrAfter(DateTimeOffset at)
    {
        var interval = PlanningInterval.Ticks;
        var since = (at - DateTimeOffset.UnixEpoch).Ticks;
        var rounded = ((since + interval - 1) / interval) * interval;
        return DateTimeOffset.UnixEpoch.AddTicks(rounded);
    }
}
