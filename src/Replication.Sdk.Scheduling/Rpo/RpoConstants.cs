namespace Replication.Sdk.Scheduling;

/// <summary>The RPO planner's internal defaults, documented once in <c>docs/rpo.md</c>.</summary>
internal static class RpoConstants
{
    /// <summary>
    /// The weight of the newest completed job in the duration estimate. 0.3 follows a change of a VM's change rate within
    /// about three jobs while one unusually slow job moves the estimate by less than a third of its excess.
    /// </summary>
    public const double DefaultAlpha = 0.3;

    /// <summary>How many recent completed jobs per VM the estimate reads; older ones weigh less than 0.7^10 ≈ 3 % together.</summary>
    public const int HistoryLength = 10;

    /// <summary>The safety margin added to the predicted duration before a VM counts as due.</summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromMinutes(15);

    /// <summary>The transfer rate a VM without history is assumed to replicate at: 50 MiB/s, a full copy of its disks.</summary>
    public const long DefaultBytesPerSecond = 50L * 1024 * 1024;

    /// <summary>The duration assumed for a VM without history and without known disk sizes.</summary>
    public static readonly TimeSpan DefaultUnknownDuration = TimeSpan.FromHours(1);

    /// <summary>How often the planner runs: planning instants are the multiples of this interval since the Unix epoch.</summary>
    public static readonly TimeSpan DefaultPlanningInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the engine forecasts each RPO schedule over 24 hours from its planning inputs (for the RPO state gauges and
    /// <see cref="IExecutionObserver.OnRpoUnattainableAsync"/>): a forecast of 1,000 VMs takes about a second of CPU.
    /// </summary>
    public static readonly TimeSpan EngineForecastInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many forecasts (<see cref="IRpoForecaster"/>) run at once in a process: one below 8 cores, two from 8. A 7-day
    /// forecast of a large schedule costs seconds of CPU, so readers asking at once queue rather than take every core
    /// from the engine; identical requests in flight share one computation (<see cref="ForecastGate{TKey, TResult}"/>).
    /// </summary>
    public static readonly int MaxConcurrentForecasts = Math.Clamp(Environment.ProcessorCount / 4, 1, 2);
}
