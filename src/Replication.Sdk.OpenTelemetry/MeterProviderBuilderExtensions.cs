using Replication.Sdk.OpenTelemetry;

// OpenTelemetry's own namespace for builder extensions, as the instrumentation packages use.
namespace OpenTelemetry.Metrics;

/// <summary>Subscribes a meter provider to Replication.Sdk's meters.</summary>
public static class MeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the meters of the appliance clients (<c>Replication.Sdk</c>: calls, durations, errors, retries) and of the
    /// scheduler (<c>Replication.Sdk.Scheduling</c>: executions, VM outcomes, schedule lag, RPO age, lease held).
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddReplicationSdkInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. ReplicationInstrumentation.MeterNames]);
    }
}
