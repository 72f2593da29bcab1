namespace Replication.Sdk.Scheduling;

/// <summary>Identifies the scheduling assembly (for assembly scanning and reflection-based checks).</summary>
public static class SchedulingAssemblyMarker
{
}
