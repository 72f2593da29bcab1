namespace Replication.Sdk.Scheduling;

/// <summary>A write to a schedule store names a group or VM context that does not exist.</summary>
public sealed class ScheduleTargetNotFoundException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleTargetNotFoundException"/> class.</summary>
    /// <param name="target">What was not found (a group or a VM context).</param>
    public ScheduleTargetNotFoundException(PauseTarget target)
        : base($"{Capitalised(target)} does not exist.")
    {
        Target = target;
    }

    /// <summary>Gets what was not found.</summary>
    public PauseTarget Target { get; }

    private static string Capitalised(PauseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var text = target.ToString();
        return string.Concat(text[..1].ToUpperInvariant(), text[1..]);
    }
}

/// <summary>A write to a schedule store conflicts with what it holds: a name already taken, or history that keeps a schedule from being deleted.</summary>
public sealed class ScheduleWriteConflictException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleWriteConflictException"/> class.</summary>
    /// <param name="id">The id of the schedule or group written.</param>
    /// <param name="message">What conflicts.</param>
    public ScheduleWriteConflictException(string id, string message)
        : base(message)
    {
        Id = id;
    }

    /// <summary>Gets the id of the schedule or group written.</summary>
    public string Id { get; }
}
