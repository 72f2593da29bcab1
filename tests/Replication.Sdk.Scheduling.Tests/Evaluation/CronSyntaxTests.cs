using System.Globalization;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

public sealed class CronSyntaxTests
{
    private static readonly CronScheduleEvaluator Evaluator = new();

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string[] Next(string expression, string after, int count, string zone = "UTC", CronScheduleEvaluator? evaluator = null)
    {
        var schedule = (evaluator ?? Evaluator).Parse(expression, zone);
        var result = new List<string>();
        var current = At(after);
        for (var i = 0; i < count && schedule.GetNextOccurrence(current) is { } next; i++)
        {
            result.Add(next.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            current = next;
        }

        return [.. result];
    }

    // Reference instant: Wednesday 2025-01-01 00:00:00 UTC.
    [Theory]
    [InlineData("*/15 * * * *",          "2025-01-01T00:15:00+00:00", "2025-01-01T00:30:00+00:00")]
    [InlineData("10-40/10 * * * *",      "2025-01-01T00:10:00+00:00", "2025-01-01T00:20:00+00:00")]
    [InlineData("5/15 * * * *",          "2025-01-01T00:05:00+00:00", "2025-01-01T00:20:00+00:00")] // N/step = N-max/step
    [InlineData("0 0,12 * * *",          "2025-01-01T12:00:00+00:00", "2025-01-02T00:00:00+00:00")]
    [InlineData("0 9-17/4 * * *",        "2025-01-01T09:00:00+00:00", "2025-01-01T13:00:00+00:00")]
    [InlineData("0 0 * JAN,mar *",       "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")]
    [InlineData("0 0 1 feb-Apr *",       "2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00")]
    [InlineData("0 0 * * MON-fri",       "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")]
    [InlineData("0 0 * * sun",           "2025-01-05T00:00:00+00:00", "2025-01-12T00:00:00+00:00")]
    [InlineData("0 0 * * 0",             "2025-01-05T00:00:00+00:00", "2025-01-12T00:00:00+00:00")]
    [InlineData("0 0 * * 7",             "2025-01-05T00:00:00+00:00", "2025-01-12T00:00:00+00:00")] // 7 = Sunday
    [InlineData("0 0 * * 5-7",           "2025-01-03T00:00:00+00:00", "2025-01-04T00:00:00+00:00")]
    [InlineData("0 0 * * 5/1",           "2025-01-03T00:00:00+00:00", "2025-01-04T00:00:00+00:00")] // 5-6 as in robfig, not Sunday
    [InlineData("0 0 * * 7/3",           "2025-01-05T00:00:00+00:00", "2025-01-12T00:00:00+00:00")] // 7/step: Sunday alone
    [InlineData("0 0 ? * *",             "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")] // ? = *
    [InlineData("0 0 * * ?",             "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")]
    [InlineData("*/100 * * * *",         "2025-01-01T01:00:00+00:00", "2025-01-01T02:00:00+00:00")] // step beyond the range: start only
    [InlineData("0 0 2 * * *",           "2025-01-01T02:00:00+00:00", "2025-01-02T02:00:00+00:00")] // 6 fields, seconds first
    [InlineData("*/20 * * * * *",        "2025-01-01T00:00:20+00:00", "2025-01-01T00:00:40+00:00")]
    [InlineData("30 15 10 * * *",        "2025-01-01T10:15:30+00:00", "2025-01-02T10:15:30+00:00")]
    [InlineData("  0   0  *  *  *  ",    "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")] // any white space
    [InlineData("@yearly",               "2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [InlineData("@ANNUALLY",             "2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [InlineData("@monthly",              "2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00")]
    [InlineData("@weekly",               "2025-01-05T00:00:00+00:00", "2025-01-12T00:00:00+00:00")]
    [InlineData("@daily",                "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")]
    [InlineData("@Midnight",             "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00")]
    [InlineData("@hourly",               "2025-01-01T01:00:00+00:00", "2025-01-01T02:00:00+00:00")]
    public void Accepted_FiresAtTheExpectedInstants(string expression, string first, string second)
    {
        Next(expression, "2025-01-01T00:00:00Z", 2).Should().Equal(first, second);
    }

    [Fact]
    public void EveryMinute_FromTheFirstMinute()
    {
        Next("* * * * *", "2025-01-01T00:00:00Z", 2).Should().Equal("2025-01-01T00:01:00+00:00", "2025-01-01T00:02:00+00:00");
    }

    // Day-of-month and day-of-week both restricted: a day matches if EITHER matches (Vixie cron, robfig/cron).
    // January 2025: the 1st is a Wednesday; Mondays are the 6th, 13th, 20th, 27th.
    [Theory]
    [InlineData("0 0 13 * MON",   CronDayMatching.Either, "2025-01-06T00:00:00+00:00", "2025-01-13T00:00:00+00:00", "2025-01-20T00:00:00+00:00")]
    [InlineData("0 0 13 * MON",   CronDayMatching.Both,   "2025-01-13T00:00:00+00:00", "2025-10-13T00:00:00+00:00", "2026-04-13T00:00:00+00:00")]
    [InlineData("0 0 1,15 * 5",   CronDayMatching.Either, "2025-01-03T00:00:00+00:00", "2025-01-10T00:00:00+00:00", "2025-01-15T00:00:00+00:00")]
    [InlineData("0 0 * * MON",    CronDayMatching.Either, "2025-01-06T00:00:00+00:00", "2025-01-13T00:00:00+00:00", "2025-01-20T00:00:00+00:00")] // dom '*': only dow
    [InlineData("0 0 ? * MON",    CronDayMatching.Either, "2025-01-06T00:00:00+00:00", "2025-01-13T00:00:00+00:00", "2025-01-20T00:00:00+00:00")] // '?' is unrestricted
    [InlineData("0 0 */1 * MON",  CronDayMatching.Either, "2025-01-06T00:00:00+00:00", "2025-01-13T00:00:00+00:00", "2025-01-20T00:00:00+00:00")] // '*/1' is unrestricted
    [InlineData("0 0 */2 * MON",  CronDayMatching.Either, "2025-01-03T00:00:00+00:00", "2025-01-05T00:00:00+00:00", "2025-01-06T00:00:00+00:00")] // '*/2' is restricted: odd days OR Mondays
    [InlineData("0 0 10 * *",     CronDayMatching.Either, "2025-01-10T00:00:00+00:00", "2025-02-10T00:00:00+00:00", "2025-03-10T00:00:00+00:00")] // dow '*': only dom
    [InlineData("0 0 1-31 * MON", CronDayMatching.Either, "2025-01-02T00:00:00+00:00", "2025-01-03T00:00:00+00:00", "2025-01-04T00:00:00+00:00")] // '1-31' is restricted
    public void DayOfMonthAndDayOfWeek_CombineAsConfigured(string expression, CronDayMatching matching, string a, string b, string c)
    {
        var evaluator = new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = matching });
        Next(expression, "2025-01-01T00:00:00Z", 3, evaluator: evaluator).Should().Equal(a, b, c);
    }

    [Theory]
    [InlineData("",                    null,            "the expression is empty")]
    [InlineData("   ",                 null,            "the expression is empty")]
    [InlineData("* * * *",             null,            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), but found 4")]
    [InlineData("0 0 0 * * * 2025",    null,            "but found 7")]
    [InlineData("0 0 L * *",           "day-of-month",  "'L' (last day) is not supported")]
    [InlineData("0 0 15W * *",         "day-of-month",  "'W' (nearest weekday) is not supported")]
    [InlineData("0 0 * * 5L",          "day-of-week",   "'L' (last day) is not supported")]
    [InlineData("0 0 * * MON#2",       "day-of-week",   "'#' (nth weekday of the month) is not supported")]
    [InlineData("H * * * *",           "minute",        "'H' (hashed values) is not supported")]
    [InlineData("0 23-1 * * *",        "hour",          "range '23-1' is reversed: 23 is after 1")]
    [InlineData("*/0 * * * *",         "minute",        "step 0 in '*/0' is not allowed")]
    [InlineData("*/x * * * *",         "minute",        "step 'x' in '*/x' is not a positive whole number")]
    [InlineData("60 * * * *",          "minute",        "60 in '60' is out of range 0-59")]
    [InlineData("0 24 * * *",          "hour",          "24 in '24' is out of range 0-23")]
    [InlineData("0 0 0 * *",           "day-of-month",  "0 in '0' is out of range 1-31")]
    [InlineData("0 0 32 * *",          "day-of-month",  "32 in '32' is out of range 1-31")]
    [InlineData("0 0 1 13 *",          "month",         "13 in '13' is out of range 1-12")]
    [InlineData("0 0 * * 8",           "day-of-week",   "8 in '8' is out of range 0-7")]
    [InlineData("60 0 0 * * *",        "second",        "60 in '60' is out of range 0-59")]
    [InlineData("0 0 * FOO *",         "month",         "'FOO' is not a number or a month name")]
    [InlineData("0 0 * * FRIDAY",      "day-of-week",   "'FRIDAY' is not a number or a weekday name")]
    [InlineData("0 MON * * *",         "hour",          "'MON' is not a number")]
    [InlineData("1,,2 * * * *",        "minute",        "'1,,2' has an empty list item")]
    [InlineData("1, * * * *",          "minute",        "'1,' has an empty list item")]
    [InlineData("-5 * * * *",          "minute",        "'-5' is missing a value")]
    [InlineData("1-2-3 * * * *",       "minute",        "'1-2-3' has more than one '-'")]
    [InlineData("*/5/2 * * * *",       "minute",        "'*/5/2' has more than one '/'")]
    [InlineData("+5 * * * *",          "minute",        "'+5' is not a number")]
    [InlineData("@every 1h",           null,            "'@every' intervals are not supported")]
    [InlineData("@reboot",             null,            "unknown macro '@reboot'")]
    [InlineData("garbage",             null,            "but found 1")]
    public void Rejected_NamesTheFieldAndTheProblem(string expression, string? field, string problem)
    {
        var act = () => Evaluator.Parse(expression, "UTC");

        var error = act.Should().Throw<ScheduleFormatException>().Which;
        error.Should().BeAssignableTo<FormatException>();
        error.Field.Should().Be(field);
        error.Message.Should().Contain(problem);
        if (field is not null)
        {
            error.Message.Should().Contain($"{field} field");
        }

        Evaluator.TryParse(expression, "UTC", out var schedule, out var message).Should().BeFalse();
        schedule.Should().BeNull();
        message.Should().Be(error.Message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Europe/Londres")]
    [InlineData("EST5EDT6")]
    public void UnknownTimeZone_IsAFormatError(string zone)
    {
        var error = Evaluator.Invoking(e => e.Parse("0 0 * * *", zone)).Should().Throw<ScheduleFormatException>().Which;
        error.Field.Should().Be("time zone");
        error.Message.Should().Contain($"'{zone}' is not a time zone id this host knows");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void EmptyTimeZone_IsUtc(string zone)
    {
        Evaluator.Parse("0 0 * * *", zone).TimeZone.Should().Be(TimeZoneInfo.Utc);
    }

    [Fact]
    public void TryParse_Valid_ReturnsSchedule()
    {
        Evaluator.TryParse("0 0 2 * * *", "Europe/London", out var schedule, out var error).Should().BeTrue();
        error.Should().BeNull();
        schedule!.Expression.Should().Be("0 0 2 * * *");
        schedule.TimeZone.Id.Should().Be("Europe/London");
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    [InlineData("0 0 31 2,4,6,9,11 *")]
    [InlineData("0 0 0 30 FEB ?")]
    public void NeverFiring_ParsesButHasNoOccurrence(string expression)
    {
        var schedule = Evaluator.Parse(expression, "America/New_York");
        schedule.GetNextOccurrence(At("2025-01-01T00:00:00Z")).Should().BeNull();
        schedule.GetOccurrences(At("2025-01-01T00:00:00Z"), At("2030-01-01T00:00:00Z")).Should().BeEmpty();
    }

    [Fact]
    public void LeapDay_FiresEveryFourYearsAndSkipsNonLeapCenturies()
    {
        Next("0 0 29 2 *", "2095-01-01T00:00:00Z", 3).Should().Equal(
            "2096-02-29T00:00:00+00:00", "2104-02-29T00:00:00+00:00", "2108-02-29T00:00:00+00:00");
    }

    // `after` may carry any offset and a sub-second part; the result is the next whole second in the schedule's zone.
    [Theory]
    [InlineData("* * * * * *", "2025-01-01T00:00:00.0000001Z",      "UTC",              "2025-01-01T00:00:01+00:00")]
    [InlineData("* * * * * *", "2025-01-01T00:00:00.9999999Z",      "UTC",              "2025-01-01T00:00:01+00:00")]
    [InlineData("* * * * * *", "2025-01-01T00:00:00Z",              "UTC",              "2025-01-01T00:00:01+00:00")]
    [InlineData("0 * * * *",   "2025-01-01T09:59:59.5+09:00",       "UTC",              "2025-01-01T01:00:00+00:00")]
    [InlineData("0 9 * * *",   "2025-06-01T10:00:00.25+02:00",      "Europe/London",    "2025-06-02T09:00:00+01:00")]
    [InlineData("0 9 * * *",   "2025-06-01T03:30:00-04:00",         "Europe/London",    "2025-06-01T09:00:00+01:00")]
    [InlineData("0 9 * * *",   "2025-01-15T23:00:00+14:00",         "America/New_York", "2025-01-15T09:00:00-05:00")]
    public void After_AnyOffsetAndSubSecond(string expression, string after, string zone, string expected)
    {
        Next(expression, after, 1, zone).Should().Equal(expected);
    }

    [Fact]
    public void GetOccurrences_IsExclusiveOfAfterAndInclusiveOfUntil()
    {
        var schedule = Evaluator.Parse("0 * * * *", "UTC");
        schedule.GetOccurrences(At("2025-01-01T00:00:00Z"), At("2025-01-01T03:00:00Z"))
            .Should().Equal(At("2025-01-01T01:00:00Z"), At("2025-01-01T02:00:00Z"), At("2025-01-01T03:00:00Z"));
        schedule.GetOccurrences(At("2025-01-01T03:00:00Z"), At("2025-01-01T01:00:00Z")).Should().BeEmpty();
    }

    [Fact]
    public void Schedule_IsThreadSafe()
    {
        var schedule = Evaluator.Parse("*/7 * * * * *", "Australia/Lord_Howe");
        var expected = schedule.GetOccurrences(At("2025-04-05T14:00:00Z"), At("2025-04-05T16:00:00Z")).ToList();

        var results = new List<DateTimeOffset>[8];
        Parallel.For(0, results.Length, i => results[i] = schedule.GetOccurrences(At("2025-04-05T14:00:00Z"), At("2025-04-05T16:00:00Z")).ToList());

        results.Should().OnlyContain(r => r.SequenceEqual(expected));
    }

    [Fact]
    public void Constructor_RejectsUndefinedDayMatching()
    {
        var act = () => new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = (CronDayMatching)42 });
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
