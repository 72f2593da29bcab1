using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Replication.Sdk.Scheduling;

// Where AddCheck and the other health-check registrations live, so the host's existing using finds it.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the scheduler's health check to ASP.NET Core / Generic Host health checks.</summary>
public static class SchedulingHealthChecksBuilderExtensions
{
    /// <summary>The default name of the scheduler health check.</summary>
    public const string DefaultName = "replication-scheduler";

    /// <summary>
    /// Adds a check that this scheduler instance works: its loop woke up when it planned to and is not stuck in one pass
    /// (bound: <c>Replication:Scheduler:LeaseDuration</c>), it holds its lease, and its execution store answers — otherwise
    /// <paramref name="failureStatus"/>. Executions running past their deadline (their schedule's next occurrence) report
    /// <see cref="HealthStatus.Degraded"/>. Needs <c>AddReplicationScheduling</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>replication-scheduler</c> by default.</param>
    /// <param name="failureStatus">The status reported when the scheduler is not working; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by; <c>replication</c> by default.</param>
    /// <param name="timeout">How long the check may take (it reads the execution store), or <see langword="null"/> for no limit.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationScheduler(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new SchedulerHealthCheck(
                sp.GetRequiredService<SchedulerHealth>(),
                sp.GetRequiredService<IExecutionStore>(),
                sp.GetRequiredService<IOptions<SchedulerOptions>>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus,
            tags ?? ["replication"],
            timeout));
    }
}
