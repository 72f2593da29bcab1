namespace Replication.Sdk.Scheduling;

/// <summary>
/// A write was refused because the writer's lease is no longer current: another instance took it over (the writer was
/// paused or cut off past <see cref="SchedulerOptions.LeaseDuration"/>), or the record now belongs to another lease. The
/// writer must stop acting for that lease; nothing it sent was applied.
/// </summary>
public sealed class LeaseLostException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="LeaseLostException"/> class.</summary>
    /// <param name="instanceId">The instance whose lease is lost, when known.</param>
    /// <param name="message">What was refused.</param>
    public LeaseLostException(string? instanceId, string message)
        : base(message)
    {
        InstanceId = instanceId;
    }

    /// <summary>Gets the instance whose lease is lost, when known.</summary>
    public string? InstanceId { get; }
}
