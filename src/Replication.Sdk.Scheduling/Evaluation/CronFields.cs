using System.Runtime.InteropServices;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// A parsed cron expression as one bit set per field (bit n set = value n allowed), packed into 32 bytes: it lives inline
/// in its schedule, so a parse allocates one object, not three.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct CronFields
{
    private readonly Flags _flags;

    public CronFields(ulong seconds, ulong minutes, ulong hours, ulong daysOfMonth, ulong months, ulong daysOfWeek,
        bool dayOfMonthUnrestricted, bool dayOfWeekUnrestricted, bool isFixedTime)
    {
        // The parser sets no bit above a field's maximum (hours 23, days 31, months 12, weekdays 6), so the casts keep every bit.
        Seconds = seconds;
        Minutes = minutes;
        Hours = (uint)hours;
        DaysOfMonth = (uint)daysOfMonth;
        Months = (ushort)months;
        DaysOfWeek = (byte)daysOfWeek;
        _flags = (dayOfMonthUnrestricted ? Flags.DayOfMonthUnrestricted : 0) | (dayOfWeekUnrestricted ? Flags.DayOfWeekUnrestricted : 0)
            | (isFixedTime ? Flags.FixedTime : 0);
    }

    private CronFields(CronFields fields, Flags flags)
    {
        this = fields;
        _flags = flags;
    }

    [Flags]
    private enum Flags : byte
    {
        DayOfMonthUnrestricted = 1,
        DayOfWeekUnrestricted = 2,
        FixedTime = 4,

        /// <summary>A day matches if either day field does (set by <see cref="WithDayMatching"/>).</summary>
        EitherDay = 8,
    }

    public ulong Seconds { get; }

    public ulong Minutes { get; }

    public uint Hours { get; }

    public uint DaysOfMonth { get; }

    public ushort Months { get; }

    public byte DaysOfWeek { get; }

    public bool DayOfMonthUnrestricted => (_flags & Flags.DayOfMonthUnrestricted) != 0;

    public bool DayOfWeekUnrestricted => (_flags & Flags.DayOfWeekUnrestricted) != 0;

    public bool IsFixedTime => (_flags & Flags.FixedTime) != 0;

    /// <summary>Whether a day matches when either day field does (the OR rule: <see cref="CronDayMatching.Either"/> with both fields restricted).</summary>
    public bool IsEitherDay => (_flags & Flags.EitherDay) != 0;

    public static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    /// <summary>These fields with the day rule folded in, so that the search reads it from the same 32 bytes.</summary>
    public CronFields WithDayMatching(CronDayMatching dayMatching) =>
        new(this, dayMatching == CronDayMatching.Either && !DayOfMonthUnrestricted && !DayOfWeekUnrestricted ? _flags | Flags.EitherDay : _flags & ~Flags.EitherDay);

    /// <summary>Whether the time of day of wall-clock ticks matches (the part of a match that needs no calendar computation).</summary>
    public bool MatchesTimeOfDay(long wallTicks) =>
        Has(Seconds, (int)(wallTicks / TimeSpan.TicksPerSecond % 60)) && Has(Minutes, (int)(wallTicks / TimeSpan.TicksPerMinute % 60))
        && Has(Hours, (int)(wallTicks / TimeSpan.TicksPerHour % 24));

    /// <summary>Whether a wall-clock time matches, with the given day rule (tests use it as an oracle).</summary>
    public bool Matches(DateTime wall, CronDayMatching dayMatching) => WithDayMatching(dayMatching).Matches(wall);

    /// <summary>Whether a wall-clock time matches, with the day rule of <see cref="WithDayMatching"/> (checks every result).</summary>
    public bool Matches(DateTime wall) => MatchesTimeOfDay(wall.Ticks) && MatchesDay(wall);

    /// <summary>Whether the date of <paramref name="wall"/> matches the month and day fields.</summary>
    public bool MatchesDay(DateTime wall)
    {
        var (_, month, day) = wall;   // one calendar computation instead of one per property
        if (!Has(Months, month))
        {
            return false;
        }

        var dom = Has(DaysOfMonth, day);
        var dow = Has(DaysOfWeek, (int)wall.DayOfWeek);
        return IsEitherDay ? dom || dow : dom && dow;
    }
}
