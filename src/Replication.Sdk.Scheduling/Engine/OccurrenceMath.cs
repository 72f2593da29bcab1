namespace Replication.Sdk.Scheduling;

/// <summary>Occurrence arithmetic on any <see cref="ISchedule"/>, which only offers "next after".</summary>
internal static class OccurrenceMath
{
    /// <summary>
    /// The latest occurrence t with <paramref name="after"/> &lt; t ≤ <paramref name="until"/>, found by binary search on
    /// "next after" over ticks (about 55 evaluations for decades) — never by walking thousands of missed occurrences.
    /// </summary>
    /// <remarks>
    /// The search runs on ticks, not seconds: on a real clock <paramref name="until"/> is "now" and carries milliseconds,
    /// and a pluggable <see cref="ISchedule"/> may fire off the whole second. A second-based midpoint stops making
    /// progress once the gap is under two seconds, which is how the scheduler once hung on its first real occurrence.
    /// </remarks>
    public static DateTimeOffset? Latest(ISchedule schedule, DateTimeOffset after, DateTimeOffset until)
    {
        if (until <= after)
        {
            return null;
        }

        var first = schedule.GetNextOccurrence(after);
        if (first is null || first > until)
        {
            return null;
        }

        // Invariant: after <= low < high, Next(low) <= until < Next(high). Next(until) > until by definition.
        var low = after.UtcTicks;
        var high = until.UtcTicks;
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if (schedule.GetNextOccurrence(new DateTimeOffset(mid, TimeSpan.Zero)) is { } next && next <= until)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        // high = low + 1 tick and Next(high) > until, so Next(low) = high is the last occurrence within the range.
        return schedule.GetNextOccurrence(new DateTimeOffset(low, TimeSpan.Zero));
    }
}
