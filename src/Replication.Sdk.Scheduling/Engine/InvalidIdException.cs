namespace Replication.Sdk.Scheduling;

/// <summary>
/// An id of a schedule, a group or a VM context that no store can hold: empty, longer than its column (64 characters for
/// a schedule or a group, 191 for a VM context), with a control or formatting character, or with white space at either
/// end. Nothing is written. The message names the id's role and why, not the id itself (it may be long or unprintable).
/// </summary>
public sealed class InvalidIdException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidIdException"/> class.</summary>
    /// <param name="parameterName">Which id: <c>scheduleId</c>, <c>groupId</c> or <c>contextId</c>.</param>
    /// <param name="problem">Why it cannot be written.</param>
    public InvalidIdException(string parameterName, string problem)
        : base($"The {parameterName} is not a valid id: {problem}.")
    {
        ParameterName = parameterName;
        Problem = problem;
    }

    /// <summary>Gets which id is at fault: <c>scheduleId</c>, <c>groupId</c> or <c>contextId</c>.</summary>
    public string ParameterName { get; }

    /// <summary>Gets why it cannot be written.</summary>
    public string Problem { get; }
}
