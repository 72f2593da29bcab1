using Replication.Sdk.OpenTelemetry;

// OpenTelemetry's own namespace for builder extensions, as the instrumentation packages use.
namespace OpenTelemetry.Trace;

/// <summary>Subscribes a tracer provider to Replication.Sdk's activity sources.</summary>
public static class TracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds the activity sources of the appliance clients (<c>Replication.Sdk</c>: one client span per appliance call) and
    /// of the scheduler (<c>Replication.Sdk.Scheduling</c>: an execution span with a child span per VM, under which the
    /// client spans nest).
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddReplicationSdkInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource([.. ReplicationInstrumentation.ActivitySourceNames]);
    }
}
