namespace Replication.Sdk.Scheduling;

/// <summary>
/// A VM whose RPO target a forecast found unattainable: its predicted worst age over the horizon exceeds the target, or it
/// gets no replica in it (<see cref="IExecutionObserver.OnRpoUnattainableAsync"/>).
/// </summary>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="ContextId">The VM context.</param>
/// <param name="VmName">The VM name.</param>
/// <param name="GroupId">The group it runs in.</param>
/// <param name="RpoTarget">The target.</param>
/// <param name="ForecastWorstAge">The forecast's worst age; <see langword="null"/> when it gets no replica in the horizon.</param>
/// <param name="Horizon">The forecast's horizon.</param>
/// <param name="DetectedAt">When the forecast started (now).</param>
public sealed record RpoUnattainable(string ScheduleId, string ContextId, string VmName, string GroupId, TimeSpan RpoTarget, TimeSpan? ForecastWorstAge, TimeSpan Horizon, DateTimeOffset DetectedAt);
