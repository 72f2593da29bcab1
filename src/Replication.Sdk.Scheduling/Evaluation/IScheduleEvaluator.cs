using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Scheduling;

/// <summary>Turns a schedule expression and a time zone into an <see cref="ISchedule"/>. Pluggable: the scheduler only sees this interface.</summary>
public interface IScheduleEvaluator
{
    /// <summary>Parses an expression evaluated in a time zone.</summary>
    /// <param name="expression">The expression (for the default evaluator: 5- or 6-field cron, or a macro such as <c>@daily</c>).</param>
    /// <param name="timeZoneId">An IANA time zone id such as <c>Europe/London</c>; empty means UTC.</param>
    /// <returns>An immutable, thread-safe schedule.</returns>
    /// <exception cref="ScheduleFormatException">The expression or the time zone is invalid; the message names the field and the problem.</exception>
    ISchedule Parse(string expression, string timeZoneId);

    /// <summary>Tries to parse an expression evaluated in a time zone.</summary>
    /// <param name="expression">The expression.</param>
    /// <param name="timeZoneId">An IANA time zone id; empty means UTC.</param>
    /// <param name="schedule">The schedule, when the expression is valid.</param>
    /// <param name="error">Why it is not, otherwise.</param>
    /// <returns><see langword="true"/> when the expression and the time zone are valid.</returns>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The parameter name is part of the published evaluator contract.")]
    bool TryParse(string expression, string timeZoneId, [NotNullWhen(true)] out ISchedule? schedule, out string? error);
}
