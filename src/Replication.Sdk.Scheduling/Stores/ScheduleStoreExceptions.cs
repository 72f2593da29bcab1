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

/// <summary>
/// A conditional write of a schedule or a group (<see cref="IScheduleStoreWriter"/>'s overloads with a precondition) was
/// not made: its precondition did not hold for what the store holds now. Nothing was written.
/// </summary>
public sealed class ScheduleWritePreconditionFailedException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleWritePreconditionFailedException"/> class.</summary>
    /// <param name="target">The schedule or group written.</param>
    /// <param name="exists">Whether it exists in the store now (the precondition was given <see langword="null"/> when it does not).</param>
    public ScheduleWritePreconditionFailedException(PauseTarget target, bool exists)
        : base(Describe(target, exists))
    {
        Target = target;
        Exists = exists;
    }

    /// <summary>Gets the schedule or group written.</summary>
    public PauseTarget Target { get; }

    /// <summary>Gets a value indicating whether the schedule or group exists in the store now.</summary>
    public bool Exists { get; }

    private static string Describe(PauseTarget target, bool exists)
    {
        ArgumentNullException.ThrowIfNull(target);
        return exists
            ? $"The write of {target} was refused: its precondition does not hold for the {target.Kind.ToString().ToLowerInvariant()} stored now; nothing was written."
            : $"The write of {target} was refused: its precondition does not hold while {target} does not exist; nothing was written.";
    }
}
