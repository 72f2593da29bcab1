namespace Replication.Sdk.Scheduling;

/// <summary>A parsed schedule: immutable, thread-safe and cheap to evaluate repeatedly.</summary>
public interface ISchedule
{
    /// <summary>Gets the expression as given.</summary>
    string Expression { get; }

    /// <summary>Gets the time zone the expression is evaluated in.</summary>
    TimeZoneInfo TimeZone { get; }

    /// <summary>Gets the first occurrence strictly after <paramref name="after"/>.</summary>
    /// <param name="after">Any instant, with any offset and sub-second part.</param>
    /// <returns>The occurrence as a whole second carrying the schedule zone's UTC offset at that instant, or <see langword="null"/> when the schedule never fires again.</returns>
    DateTimeOffset? GetNextOccurrence(DateTimeOffset after);

    /// <summary>Gets every occurrence <c>t</c> with <paramref name="after"/> &lt; t ≤ <paramref name="until"/>, ascending.</summary>
    /// <param name="after">The exclusive start.</param>
    /// <param name="until">The inclusive end.</param>
    /// <returns>The occurrences, lazily.</returns>
    IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until);
}
