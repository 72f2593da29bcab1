namespace Replication.Sdk.Jobs;

/// <summary>The replication type of a schedule or job, as hosts name it. Mapped to the OMA's wire values by the builder.</summary>
public enum ReplicationType
{
    /// <summary>Let the OMA decide (wire <c>""</c>): incremental when a change id exists for the VM, else initial.</summary>
    Auto,

    /// <summary>A full copy (wire <c>"initial"</c>); the only type that runs the CloudStack prerequisite check.</summary>
    Full,

    /// <summary>An incremental copy (wire <c>"incremental"</c>).</summary>
    Incremental,
}
