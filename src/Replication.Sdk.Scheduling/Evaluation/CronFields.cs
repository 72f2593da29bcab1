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

    /// <summary>Whether a wall-clock time matches, with the given day rule (used by tests as an independent oracle).</summary>
    public bool Matches(DateTime wall, CronDayMatching dayMatching)
    {
        if (!Has(Seconds, wall.Second) || !Has(Minutes, wall.Minute) || !Has(Hours, wall.Hour) || !Has(Months, wall.Month))
        {
            return false;
        }

        var dom = Has(DaysOfMonth, wall.Day);
        var dow = Has(DaysOfWeek, (int)wall.DayOfWeek);
        return dayMatching == CronDayMatching.Either && !DayOfMonthUnrestricted && !DayOfWeekUnrestricted
            ? dom || dow
            : dom && dow;
    }
}
