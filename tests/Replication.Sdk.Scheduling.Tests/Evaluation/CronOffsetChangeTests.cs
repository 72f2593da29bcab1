using System.Globalization;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// Issue 14's regressions: offset changes that are not DST (which <see cref="TimeZoneInfo.IsInvalidTime"/> and
/// <see cref="TimeZoneInfo.IsAmbiguousTime"/> do not flag) follow the same gap and overlap rules, and the calendar's
/// edges neither throw nor cut the search short.
/// </summary>
public sealed class CronOffsetChangeTests
{
    private static readonly CronScheduleEvaluator Evaluator = new();

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static string[] Next(ISchedule schedule, DateTimeOffset after, int count)
    {
        var result = new List<string>();
        for (var i = 0; i < count && schedule.GetNextOccurrence(after) is { } next; i++)
        {
            next.Should().BeAfter(after);
            next.Offset.Should().Be(schedule.TimeZone.GetUtcOffset(next), "an occurrence carries its zone's offset at that instant");
            result.Add(next.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            after = next;
        }

        return [.. result];
    }

    // Fort Nelson, 2001-04-01 02:00 PST -> 03:00 PDT; the zone's rules carry it as a base-offset change, not DST.
    [Fact]
    public void FortNelson_SpringForward_FiresOnceAtTheGapsEnd_AndTheWalkEnds()
    {
        var schedule = Evaluator.Parse("45 * * 4 *", "America/Fort_Nelson");
        var after = At("2001-04-01T00:45:00-08:00");

        Next(schedule, after, 3).Should().Equal("2001-04-01T01:45:00-08:00", "2001-04-01T03:00:00-07:00", "2001-04-01T03:45:00-07:00");

        // The hang: GetOccurrences must make progress and end. April has 30 days of 24 hours; the skipped 02:45 fires at 03:00.
        var all = schedule.GetOccurrences(after, At("2001-05-01T00:00:00-07:00")).ToList();
        all.Should().BeInAscendingOrder(o => o.UtcTicks).And.OnlyHaveUniqueItems(o => o.UtcTicks);
        all.Should().HaveCount((30 * 24) - 1); // minus 00:45, which is not after `after`
    }

    // Managua, 1993-01-01 00:00 -06:00 -> 01:00 -05:00: midnight does not exist that day.
    [Fact]
    public void Managua_NewYearsMidnight_SkippedByAStandardOffsetChange_FiresAtTheGapsEnd() =>
        Next(Evaluator.Parse("0 0 0 1 1 *", "America/Managua"), At("1992-12-31T12:00:00-06:00"), 2)
            .Should().Equal("1993-01-01T01:00:00-05:00", "1994-01-01T00:00:00" + Offset("America/Managua", "1994-01-01T06:00:00Z"));

    // Tucumán, 2004-06-13 00:00 -04:00 -> 01:00 -03:00 (back from a 12-day move to -04:00).
    [Fact]
    public void Tucuman_MidnightSkippedByAZoneMovingBack_FiresAtTheGapsEnd() =>
        Next(Evaluator.Parse("0 0 * * *", "America/Argentina/Tucuman"), At("2004-06-12T12:00:00-04:00"), 2)
            .Should().Equal("2004-06-13T01:00:00-03:00", "2004-06-14T00:00:00-03:00");

    // Tucumán, 2004-06-01 00:00 -03:00 -> 23:00 -04:00 the day before: 23:00-23:59 on 31 May happens twice.
    [Theory]
    [InlineData("30 23 * * *", "2004-05-31T23:30:00-03:00", "2004-06-01T23:30:00-04:00")]                                   // fixed: once
    [InlineData("30 * * * *", "2004-05-31T23:30:00-03:00", "2004-05-31T23:30:00-04:00", "2004-06-01T00:30:00-04:00")]        // interval: both passes
    public void Tucuman_BackwardMove_OverlapRules(string expression, params string[] expected) =>
        Next(Evaluator.Parse(expression, "America/Argentina/Tucuman"), At("2004-05-31T23:00:00-03:00"), expected.Length)
            .Should().Equal(expected);

    // Amman, 2019-03-29 00:00 +02:00 -> 01:00 +03:00. 00:30 on the 29th does not exist: Cronos gives the gap's end.
    [Fact]
    public void Amman_SkippedTime_IsNeverBeforeAfter() =>
        Next(Evaluator.Parse("30 0 29 * *", "Asia/Amman"), At("2019-03-28T23:59:00+02:00"), 1)
            .Should().Equal("2019-03-29T01:00:00+03:00");

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Asia/Manila")]
    public void NearTheCalendarsStart_NothingThrows(string zone)
    {
        var schedule = Evaluator.Parse("0 * * * *", zone);
        for (var minutes = 0; minutes < 4 * 60; minutes += 7)
        {
            var after = DateTimeOffset.MinValue.AddMinutes(minutes);
            var next = schedule.GetNextOccurrence(after);
            next.Should().NotBeNull().And.BeAfter(after);
            next!.Value.Minute.Should().Be(0);
            next.Value.Offset.Should().Be(schedule.TimeZone.GetUtcOffset(next.Value));
        }
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Pacific/Kiritimati")]
    public void NearTheCalendarsEnd_NothingThrows(string zone)
    {
        var schedule = Evaluator.Parse("*/20 * * * * *", zone);
        for (var minutes = 0; minutes < 30 * 60; minutes += 13)
        {
            var after = DateTimeOffset.MaxValue.AddMinutes(-minutes);
            if (schedule.GetNextOccurrence(after) is { } next)
            {
                next.Should().BeAfter(after);
                (next.Second % 20).Should().Be(0);
            }
        }
    }

    // A step beyond the field overflowed an int and wrapped into other hours (15): hour 5 of January only.
    [Fact]
    public void HugeStep_NearYearOne_InUtc_KeepsToItsOneValue() =>
        Next(Evaluator.Parse("* 0005/2147483647 * */2147483647 *", "UTC"), At("0001-01-01T22:06:35Z"), 2)
            .Should().Equal("0001-01-02T05:00:00+00:00", "0001-01-02T05:01:00+00:00");

    // 9988-02-29 is a Monday: the search reaches the calendar's end, not a fixed 100 years.
    [Theory]
    [InlineData(CronDayMatching.Both, "9988-02-29T00:00:00+00:00")]
    [InlineData(CronDayMatching.Either, "9988-02-01T00:00:00+00:00")] // either field: the first Monday of February
    public void LeapDayMonday_NearTheCalendarsEnd_IsFound(CronDayMatching matching, string expected) =>
        Next(new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = matching }).Parse("0 0 29 Feb Mon", "UTC"), At("9988-01-01T00:00:00Z"), 1)
            .Should().Equal(expected);

    [Fact]
    public void ImpossibleDate_AnswersNoneAtOnce() =>
        Evaluator.Parse("0 0 30 2 *", "Europe/London").GetNextOccurrence(At("2025-01-01T00:00:00Z")).Should().BeNull();

    private static string Offset(string zone, string utc) =>
        new DateTimeOffset(DateTime.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), TimeSpan.Zero)
            .ToOffset(TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(DateTime.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)))
            .ToString("zzz", CultureInfo.InvariantCulture);
}
