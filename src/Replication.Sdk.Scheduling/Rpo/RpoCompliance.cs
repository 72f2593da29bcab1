namespace Replication.Sdk.Scheduling;

/// <summary>
/// How long a VM's replica age exceeded the target, for the simulation (ahead) and the status (behind) alike: between two
/// completions the age is <c>t − last</c>, so over <c>[from, to)</c> it is above R from <c>last + R</c> on.
/// </summary>
internal static class RpoCompliance
{
    /// <summary>The time in [<paramref name="from"/>, <paramref name="to"/>) during which <c>t − last &gt; R</c>; all of it without a replica.</summary>
    public static TimeSpan Outside(DateTimeOffset? last, DateTimeOffset from, DateTimeOffset to, TimeSpan target)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (last is not { } l)
        {
            return to - from;
        }

        var breachFrom = l + target > from ? l + target : from;
        return to > breachFrom ? to - breachFrom : TimeSpan.Zero;
    }

    /// <summary>
    /// The share of [<c>now − span</c>, <paramref name="now"/>) with the age within R, in percent, from the completions known
    /// (oldest first). The span starts no earlier than the first known completion (history before it is unknown, not a
    /// breach); <see langword="null"/> when none is known before <paramref name="now"/>.
    /// </summary>
    public static double? PastPercent(IReadOnlyList<DateTimeOffset> completions, DateTimeOffset now, TimeSpan span, TimeSpan target)
    {
        var known = completions.Where(c => c < now).Order().ToList();
        if (known.Count == 0)
        {
            return null;
        }

        var start = now - span > known[0] ? now - span : known[0];
        DateTimeOffset? last = known.LastOrDefault(c => c <= start);
        var outside = TimeSpan.Zero;
        var segment = start;
        foreach (var at in known.Where(c => c > start))
        {
            outside += Outside(last, segment, at, target);
            last = at;
            segment = at;
        }

        outside += Outside(last, segment, now, target);
        var covered = now - start;
        return covered <= TimeSpan.Zero ? 100 : 100.0 * (covered - outside).Ticks / covered.Ticks;
    }
}
