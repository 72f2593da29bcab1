using Microsoft.Extensions.Diagnostics.HealthChecks;
using Replication.Sdk.HealthChecks;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds appliance reachability checks to ASP.NET Core / Generic Host health checks, with the parameters of <c>AddCheck</c>.</summary>
public static class ReplicationHealthChecksBuilderExtensions
{
    /// <summary>The tag the checks carry when no tags are given.</summary>
    public const string DefaultTag = "replication";

    /// <summary>Adds the <c>replication-vma</c> and <c>replication-oma</c> checks.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status to report when an appliance is unreachable; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags of both checks, for filtering endpoints; <c>replication</c> by default.</param>
    /// <param name="timeout">How long each check may take before it reports <paramref name="failureStatus"/>; none by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationAppliances(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.AddReplicationVma(failureStatus: failureStatus, tags: tags, timeout: timeout)
            .AddReplicationOma(failureStatus: failureStatus, tags: tags, timeout: timeout);

    /// <summary>Adds a check that the VMA answers <c>GET /api/v1/health</c>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status to report when the VMA is unreachable; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags for filtering endpoints; <c>replication</c> by default.</param>
    /// <param name="timeout">How long the check may take before it reports <paramref name="failureStatus"/>; none by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationVma(this IHealthChecksBuilder builder, string name = "replication-vma", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        Add(builder, name, sp => new VmaHealthCheck(sp.GetRequiredService<IVmaClient>()), failureStatus, tags, timeout);

    /// <summary>Adds a check that the OMA answers its health route.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status to report when the OMA is unreachable; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags for filtering endpoints; <c>replication</c> by default.</param>
    /// <param name="timeout">How long the check may take before it reports <paramref name="failureStatus"/>; none by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationOma(this IHealthChecksBuilder builder, string name = "replication-oma", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        Add(builder, name, sp => new OmaHealthCheck(sp.GetRequiredService<IOmaClient>()), failureStatus, tags, timeout);

    // The typed clients are transient: the factory resolves a fresh one for every run of the check.
    private static IHealthChecksBuilder Add(IHealthChecksBuilder builder, string name, Func<IServiceProvider, IHealthCheck> factory, HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, factory, failureStatus, tags ?? [DefaultTag], timeout));
    }
}
