namespace Replication.Sdk.Scheduling;

/// <summary>
/// A one-off period in which a schedule starts nothing (a change freeze, storage maintenance): an occurrence inside it is
/// recorded <see cref="ExecutionStatus.Skipped"/> with <see cref="ExecutionSkipReason.Blackout"/> and this period's
/// reason, whatever the window says, and no VM of a running execution starts once it has begun. Half-open: it covers
/// <see cref="From"/> ≤ t &lt; <see cref="To"/>.
/// </summary>
public sealed record BlackoutPeriod
{
    /// <summary>Initializes a new instance of the <see cref="BlackoutPeriod"/> class.</summary>
    /// <param name="from">The first instant of the period.</param>
    /// <param name="to">The first instant after the period; must be after <paramref name="from"/>.</param>
    /// <param name="reason">Why nothing may start (recorded on every execution it skips).</param>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public BlackoutPeriod(DateTimeOffset from, DateTimeOffset to, string? reason)
    {
        if (to <= from)
        {
            throw new ArgumentException($"A blackout period must end after it begins (from {from:O}, to {to:O}).", nameof(to));
        }

        From = from.ToUniversalTime();
        To = to.ToUniversalTime();
        Reason = reason;
    }

    /// <summary>Gets the first instant of the period, in UTC.</summary>
    public DateTimeOffset From { get; }

    /// <summary>Gets the first instant after the period, in UTC.</summary>
    public DateTimeOffset To { get; }

    /// <summary>Gets why nothing may start, or <see langword="null"/>.</summary>
    public string? Reason { get; }

    /// <summary>Gets a value indicating whether <paramref name="instant"/> lies inside the period.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when <see cref="From"/> ≤ <paramref name="instant"/> &lt; <see cref="To"/>.</returns>
    public bool Contains(DateTimeOffset instant) => instant >= From && instant < To;
}
