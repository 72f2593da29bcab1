using Microsoft.Extensions.Diagnostics.HealthChecks;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.HealthChecks;

/// <summary>Reports whether the VMA answers <c>GET /api/v1/health</c>.</summary>
internal sealed class VmaHealthCheck(IVmaClient vma) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var health = await vma.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            return string.Equals(health.Status, "healthy", StringComparison.OrdinalIgnoreCase)
                ? HealthCheckResult.Healthy("The VMA is reachable.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"The VMA answered status '{health.Status}'.");
        }
        catch (ReplicationException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The VMA is not reachable.", ex);
        }
    }
}

/// <summary>Reports whether the OMA answers <c>GET /health</c>.</summary>
internal sealed class OmaHealthCheck(IOmaClient oma) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await oma.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The OMA is reachable.");
        }
        catch (ReplicationException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The OMA is not reachable.", ex);
        }
    }
}
