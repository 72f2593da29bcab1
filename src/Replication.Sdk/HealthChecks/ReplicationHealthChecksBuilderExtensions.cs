using Microsoft.Extensions.Diagnostics.HealthChecks;
using Replication.Sdk.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds appliance reachability checks to ASP.NET Core / Generic Host health checks.</summary>
public static class ReplicationHealthChecksBuilderExtensions
{
    /// <summary>Adds <c>replication-vma</c> and <c>replication-oma</c> health checks (tag <c>replication</c>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status to report when an appliance is unreachable; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddReplicationAppliances(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] tags = ["replication"];
        return builder
            .AddCheck<VmaHealthCheck>("replication-vma", failureStatus, tags)
            .AddCheck<OmaHealthCheck>("replication-oma", failureStatus, tags);
    }
}
