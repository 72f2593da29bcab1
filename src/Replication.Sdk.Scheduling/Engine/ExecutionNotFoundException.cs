namespace Replication.Sdk.Scheduling;

/// <summary>No execution with the id is running here or recorded in the execution store.</summary>
public sealed class ExecutionNotFoundException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ExecutionNotFoundException"/> class.</summary>
    /// <param name="executionId">The execution id.</param>
    public ExecutionNotFoundException(string executionId)
        : base($"Execution '{executionId}' is unknown: it is not running in this scheduler and the execution store has no record of it.")
    {
        ExecutionId = executionId;
    }

    /// <summary>Gets the execution id.</summary>
    public string ExecutionId { get; }
}
