namespace Replication.Sdk.Scheduling;

/// <summary>Occurrence arithmetic on any <see cref="ISchedule"/>, which only offers "next after".</summary>
internal static class OccurrenceMath
{
    /// <summary>
    /// The latest occurrence t with <paramref name="after"/> &lt; t ≤ <paramref name="until"/>, found by binary search on
    /// "next after" (about 40 evaluations for decades) — never by walking thousands of missed occurrences.
    /// </summary>
    public static DateTimeOffset? Latest(ISchedule schedule, DateTimeOffset after, DateTimeOffset until)
    {
        var first = schedule.GetNextOccurrence(after);
        if (first is null || first > until)
        {
            return null;
        }

        // Invariant: Next(low) <= until < Next(high). Next(until) > until always holds.
        var low = first.Value.AddSeconds(-1);
        var high = until;
        while (high - low > TimeSpan.FromSeconds(1))
        {
            var mid = low + TimeSpan.FromSeconds(Math.Floor((high - low).TotalSeconds / 2));
            if (schedule.GetNextOccurrence(mid) is { } next && next <= until)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return schedule.GetNextOccurrence(low);
    }
}
