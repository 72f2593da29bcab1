namespace Replication.Sdk.Scheduling;

/// <summary>A pause or resume request is invalid (an unknown target kind, a blank id, reason or principal, a resume-at not in the future).</summary>
public sealed class InvalidPauseRequestException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidPauseRequestException"/> class.</summary>
    /// <param name="parameterName">The parameter at fault.</param>
    /// <param name="problem">What is wrong with it.</param>
    public InvalidPauseRequestException(string parameterName, string problem)
        : base($"Invalid pause request ({parameterName}): {problem}.")
    {
        ParameterName = parameterName;
        Problem = problem;
    }

    /// <summary>Gets the parameter at fault.</summary>
    public string ParameterName { get; }

    /// <summary>Gets what is wrong with it.</summary>
    public string Problem { get; }
}

/// <summary>The target is already paused; resume it first to pause it again (its tally is then reported).</summary>
public sealed class AlreadyPausedException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="AlreadyPausedException"/> class.</summary>
    /// <param name="pause">The pause in force.</param>
    public AlreadyPausedException(PauseState pause)
        : base($"{Capitalised(pause)}; resume it first.")
    {
        Pause = pause;
    }

    /// <summary>Gets the pause in force.</summary>
    public PauseState Pause { get; }

    internal static string Capitalised(PauseState? pause)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var text = pause.Describe();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}

/// <summary>
/// A manual trigger of a paused schedule is refused: a pause is an operator's decision that the schedule must not run,
/// and a trigger that silently ran (or silently skipped) would override or hide it. Resume the schedule, then trigger.
/// </summary>
public sealed class SchedulePausedException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="SchedulePausedException"/> class.</summary>
    /// <param name="pause">The schedule's pause.</param>
    public SchedulePausedException(PauseState pause)
        : base($"{AlreadyPausedException.Capitalised(pause)}; resume it to trigger it.")
    {
        Pause = pause;
    }

    /// <summary>Gets the schedule's pause.</summary>
    public PauseState Pause { get; }

    /// <summary>Gets the schedule id.</summary>
    public string ScheduleId => Pause.Target.Id;
}
