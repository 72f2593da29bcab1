namespace Replication.Sdk.Scheduling;

/// <summary>A schedule expression or time zone is invalid. The message names the field and the problem.</summary>
public sealed class ScheduleFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="ScheduleFormatException"/> class.</summary>
    /// <param name="expression">The expression.</param>
    /// <param name="field">The field at fault (for example <c>hour</c>), the time zone, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    public ScheduleFormatException(string expression, string? field, string problem)
        : base(field is null ? $"Invalid schedule '{expression}': {problem}" : $"Invalid schedule '{expression}': {field} field: {problem}")
    {
        Expression = expression;
        Field = field;
        Problem = problem;
    }

    /// <summary>Gets the expression.</summary>
    public string Expression { get; }

    /// <summary>Gets the field at fault, or <see langword="null"/> when the expression as a whole is at fault.</summary>
    public string? Field { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}
