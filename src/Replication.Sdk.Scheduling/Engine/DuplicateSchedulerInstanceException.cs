namespace Replication.Sdk.Scheduling;

/// <summary>
/// Another live process runs a scheduler with the same <see cref="SchedulerOptions.InstanceId"/> on the same store: its
/// lease was renewed while this one waited for it to expire. Two processes with one id would recover and overwrite each
/// other's executions, so this one refuses to start.
/// </summary>
public sealed class DuplicateSchedulerInstanceException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="DuplicateSchedulerInstanceException"/> class.</summary>
    /// <param name="instanceId">The id in use.</param>
    /// <param name="heldUntil">When the other process's lease now runs out.</param>
    public DuplicateSchedulerInstanceException(string instanceId, DateTimeOffset heldUntil)
        : base($"Another live scheduler process uses instance id '{instanceId}' on this store: it renewed its lease (now held until {heldUntil:O}) while this process waited. Give each process its own Replication:Scheduler:InstanceId, or leave it unset for a unique default.")
    {
        InstanceId = instanceId;
        HeldUntil = heldUntil;
    }

    /// <summary>Gets the id in use.</summary>
    public string InstanceId { get; }

    /// <summary>Gets when the other process's lease runs out unless renewed.</summary>
    public DateTimeOffset HeldUntil { get; }
}
