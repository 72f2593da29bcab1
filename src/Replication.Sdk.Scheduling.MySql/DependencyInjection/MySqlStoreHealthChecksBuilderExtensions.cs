using Microsoft.Extensions.Diagnostics.HealthChecks;
using Replication.Sdk.Scheduling.MySql;

// Where AddCheck and the other health-check registrations live, so the host's existing using finds it.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the MySQL store's health check to ASP.NET Core / Generic Host health checks.</summary>
public static class MySqlStoreHealthChecksBuilderExtensions
{
    /// <summary>The default name of the MySQL store health check.</summary>
    public const string DefaultName = "replication-mysql";

    /// <summary>
    /// Adds a check that the scheduler database answers, has the SDK-owned tables at the version this package needs and has
    /// the appliance's own tables (<c>replication_schedules</c> and the others the stores read) — otherwise
    /// <paramref name="failureStatus"/>, naming what is wrong. The check never applies migrations. Needs <c>UseMySqlStores</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>replication-mysql</c> by default.</param>
    /// <param name="failureStatus">The status reported when the database is unusable; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by; <c>replication</c> by default.</param>
    /// <param name="timeout">How long the check may take, or <see langword="null"/> for no limit (the command timeout still applies).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationMySqlStore(
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
            sp => new MySqlStoreHealthCheck(sp.GetRequiredService<MySqlStoreContext>()),
            failureStatus,
            tags ?? ["replication"],
            timeout));
    }
}
