namespace Replication.Sdk.OpenTelemetry;

/// <summary>The activity sources and meters that <c>AddReplicationSdkInstrumentation</c> subscribes to.</summary>
public static class ReplicationInstrumentation
{
    /// <summary>
    /// The scheduler's activity source and meter name (<c>SchedulingDiagnostics.Name</c> of Replication.Sdk.Scheduling),
    /// written out so this package does not depend on the scheduler; a host without it simply gets no scheduler telemetry.
    /// </summary>
    public const string SchedulingName = "Replication.Sdk.Scheduling";

    /// <summary>Gets the activity source names: the appliance clients' and the scheduler's.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } = [Diagnostics.ReplicationDiagnostics.ActivitySourceName, SchedulingName];

    /// <summary>Gets the meter names: the appliance clients' and the scheduler's.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [Diagnostics.ReplicationDiagnostics.MeterName, SchedulingName];
}
