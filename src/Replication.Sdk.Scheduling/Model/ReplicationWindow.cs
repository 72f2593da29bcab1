using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The hours in which a schedule may start VMs (Veeam's backup window): a 7 × 24 grid of whole wall-clock hours in the
/// schedule's time zone. Immutable, compared by value. The text form lists days and spans, for example
/// <c>Mon-Fri 22:00-06:00; Sat,Sun 00:00-24:00</c>: a span past midnight belongs to the day it starts on (Friday's
/// 22:00-06:00 allows Saturday 00:00-06:00). On a spring-forward day the missing hour simply has no instants; on a
/// fall-back day the repeated hour is inside twice if that hour is allowed.
/// </summary>
public sealed class ReplicationWindow : IEquatable<ReplicationWindow>
{
    /// <summary>Every bit of a day: hours 0 to 23.</summary>
    internal const uint FullDay = (1u << 24) - 1;

    // Indexed by DayOfWeek (0 = Sunday); bit h = the hour h:00-h+1:00 is allowed.
    private readonly uint[] _days;

    private ReplicationWindow(uint[] days) => _days = days;

    /// <summary>Gets the window that is always open (every hour of every day).</summary>
    public static ReplicationWindow Always { get; } = new([FullDay, FullDay, FullDay, FullDay, FullDay, FullDay, FullDay]);

    /// <summary>Gets a value indicating whether every hour of every day is allowed.</summary>
    public bool IsAlways => _days.All(d => d == FullDay);

    /// <summary>Builds a window from a predicate on (day, hour).</summary>
    /// <param name="isAllowed">Whether the hour <c>hour:00</c> to <c>hour+1:00</c> of the day is allowed (hour 0–23).</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentException">No hour is allowed: a schedule that must never run is disabled instead.</exception>
    public static ReplicationWindow Create(Func<DayOfWeek, int, bool> isAllowed)
    {
        ArgumentNullException.ThrowIfNull(isAllowed);
        var days = new uint[7];
        for (var d = 0; d < 7; d++)
        {
            for (var h = 0; h < 24; h++)
            {
                if (isAllowed((DayOfWeek)d, h))
                {
                    days[d] |= 1u << h;
                }
            }
        }

        return FromDays(days) ?? throw new ArgumentException("A replication window must allow at least one hour; disable the schedule instead.", nameof(isAllowed));
    }

    /// <summary>Parses the text form (see the type's remarks and docs/scheduling-semantics.md).</summary>
    /// <param name="text">The text, for example <c>Mon-Fri 22:00-06:00; Sat,Sun 00:00-24:00</c>.</param>
    /// <returns>The window.</returns>
    /// <exception cref="ReplicationWindowFormatException">The text is invalid; the exception names the token and its position.</exception>
    public static ReplicationWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReplicationWindowText.Parse(text, out var error) ?? throw error!;
    }

    /// <summary>Parses the text form without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="window">The window, when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ReplicationWindow? window) => TryParse(text, out window, out _);

    /// <summary>Parses the text form without throwing, reporting what is wrong.</summary>
    /// <param name="text">The text.</param>
    /// <param name="window">The window, when the text is valid.</param>
    /// <param name="error">What is wrong, when it is not (the message <see cref="Parse"/> would throw).</param>
    /// <returns><see langword="true"/> when the text is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ReplicationWindow? window, [NotNullWhen(false)] out string? error)
    {
        if (text is null)
        {
            (window, error) = (null, "the window text is null");
            return false;
        }

        window = ReplicationWindowText.Parse(text, out var exception);
        error = exception?.Message;
        return window is not null;
    }

    /// <summary>Gets a value indicating whether an hour of a day is allowed.</summary>
    /// <param name="day">The day.</param>
    /// <param name="hour">The hour, 0–23 (the hour from <c>hour:00</c> to <c>hour+1:00</c>).</param>
    /// <returns><see langword="true"/> when it is allowed.</returns>
    public bool IsAllowed(DayOfWeek day, int hour)
    {
        if ((uint)day > (uint)DayOfWeek.Saturday)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, "not a day of the week");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(hour, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        return (_days[(int)day] & (1u << hour)) != 0;
    }

    /// <summary>Gets a value indicating whether a wall-clock time in the schedule's zone lies inside the window.</summary>
    /// <param name="wallClock">The local wall-clock time.</param>
    /// <returns><see langword="true"/> when its hour is allowed on its day.</returns>
    public bool Contains(DateTime wallClock) => (_days[(int)wallClock.DayOfWeek] & (1u << wallClock.Hour)) != 0;

    /// <summary>Gets a value indicating whether an instant lies inside the window in a time zone (its wall clock there).</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zone">The schedule's zone.</param>
    /// <returns><see langword="true"/> when the zone's wall clock at that instant is in an allowed hour.</returns>
    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Contains(WindowClock.WallClock(instant, zone));
    }

    /// <summary>Formats the window in its canonical text form; <see cref="Parse"/> reads it back to an equal window.</summary>
    /// <returns>The text, for example <c>Mon-Fri 22:00-06:00; Sat,Sun 00:00-24:00</c>.</returns>
    public override string ToString() => ReplicationWindowText.Format(_days);

    /// <inheritdoc/>
    public bool Equals(ReplicationWindow? other) => other is not null && _days.AsSpan().SequenceEqual(other._days);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReplicationWindow other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_days[0], _days[1], _days[2], _days[3], _days[4], _days[5], _days[6]);

    /// <summary>Compares two windows by value.</summary>
    /// <param name="left">The first window.</param>
    /// <param name="right">The second window.</param>
    /// <returns><see langword="true"/> when both allow the same hours (or both are <see langword="null"/>).</returns>
    public static bool operator ==(ReplicationWindow? left, ReplicationWindow? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two windows by value.</summary>
    /// <param name="left">The first window.</param>
    /// <param name="right">The second window.</param>
    /// <returns><see langword="true"/> when they allow different hours.</returns>
    public static bool operator !=(ReplicationWindow? left, ReplicationWindow? right) => !(left == right);

    /// <summary>The hours of a day (bit h = hour h), indexed by <see cref="DayOfWeek"/>.</summary>
    internal uint Day(DayOfWeek day) => _days[(int)day];

    /// <summary>A window from day masks, or <see langword="null"/> when no hour is allowed.</summary>
    internal static ReplicationWindow? FromDays(uint[] days) => days.All(d => (d & FullDay) == 0) ? null : new ReplicationWindow([.. days.Select(d => d & FullDay)]);
}
