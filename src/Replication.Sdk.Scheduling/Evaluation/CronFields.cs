namespace Replication.Sdk.Scheduling;

/// <summary>A parsed cron expression as one bit set per field (bit n set = value n allowed).</summary>
internal sealed record CronFields(
    ulong Seconds,
    ulong Minutes,
    ulong Hours,
    ulong DaysOfMonth,
    ulong Months,
    ulong DaysOfWeek,
    bool DayOfMonthUnrestricted,
    bool DayOfWeekUnrestricted,
    bool IsFixedTime)
{
    public static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    /// <summary>Whether the time of day of wall-clock ticks matches (the part of a match that needs no calendar computation).</summary>
    public bool MatchesTimeOfDay(long wallTicks) =>
        Has(Seconds, (int)(wallTicks / TimeSpan.TicksPerSecond % 60)) && Has(Minutes, (int)(wallTicks / TimeSpan.TicksPerMinute % 60))
        && Has(Hours, (int)(wallTicks / TimeSpan.TicksPerHour % 24));

    /// <summary>Whether a wall-clock time matches, with the given day rule (checks every result; tests use it as an oracle).</summary>
    public bool Matches(DateTime wall, CronDayMatching dayMatching)
    {
        // The time of day from the ticks and the date in one calendar computation: this runs on every result.
        if (!MatchesTimeOfDay(wall.Ticks))
        {
            return false;
        }

        var (_, month, day) = wall;
        if (!Has(Months, month))
        {
            return false;
        }

        var dom = Has(DaysOfMonth, day);
        var dow = Has(DaysOfWeek, (int)wall.DayOfWeek);
        return dayMatching == CronDayMatching.Either && !DayOfMonthUnrestricted && !DayOfWeekUnrestricted
            ? dom || dow
            : dom && dow;
    }
}
