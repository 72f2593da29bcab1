namespace Replication.Sdk.Scheduling;

/// <summary>
/// A VM's predicted job duration: the exponentially weighted mean of its recent completed jobs, or, without history, a
/// full copy of its disks at the configured rate (or a fixed duration when its disk sizes are unknown).
/// </summary>
internal static class DurationPredictor
{
    /// <summary>
    /// The estimate from completed durations, oldest first: <c>e₁ = d₁</c>, <c>eₙ = α·dₙ + (1 − α)·eₙ₋₁</c>;
    /// <see langword="null"/> when there are none.
    /// </summary>
    public static TimeSpan? Ewma(IEnumerable<TimeSpan> oldestFirst, double alpha)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        if (alpha is <= 0 or > 1 || double.IsNaN(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The weight must be in (0, 1].");
        }

        double? estimate = null;
        foreach (var duration in oldestFirst)
        {
            var ticks = (double)Math.Max(0, duration.Ticks);
            estimate = estimate is { } e ? (alpha * ticks) + ((1 - alpha) * e) : ticks;
        }

        return estimate is { } value ? TimeSpan.FromTicks((long)Math.Round(value)) : null;
    }

    /// <summary>The duration assumed for a VM without history: its disks' total capacity at <paramref name="bytesPerSecond"/>.</summary>
    public static TimeSpan WithoutHistory(ScheduledVm vm, long bytesPerSecond, TimeSpan unknown)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        var bytes = vm.LastKnownSpec?.Disks?.Sum(d => Math.Max(0, d.CapacityBytes)) ?? 0;
        return bytes > 0 ? TimeSpan.FromSeconds(Math.Ceiling((double)bytes / bytesPerSecond)) : unknown;
    }

    /// <summary>The prediction: the weighted mean of <paramref name="oldestFirst"/>, else the no-history default.</summary>
    public static TimeSpan Predict(ScheduledVm vm, IEnumerable<TimeSpan> oldestFirst, RpoSettings settings) =>
        Ewma(oldestFirst, settings.Alpha) ?? WithoutHistory(vm, settings.BytesPerSecond, settings.UnknownDuration);
}
