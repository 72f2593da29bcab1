using System.Globalization;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// DST behaviour (Vixie cron / Cronos): a time skipped by a spring-forward gap fires once at the first valid instant
/// after the gap; in a fall-back overlap a fixed-time expression fires once (first pass), an interval expression fires in
/// both passes. Each row: expression, zone, after (UTC), then the next occurrences in local time with their offsets.
/// </summary>
public sealed class CronDstTests
{
    private const string NewYork = "America/New_York";
    private const string London = "Europe/London";
    private const string LordHowe = "Australia/Lord_Howe";

    private static readonly CronScheduleEvaluator Evaluator = new();

    private static string[] Next(string expression, string zone, string afterUtc, int count)
    {
        var schedule = Evaluator.Parse(expression, zone);
        var current = DateTimeOffset.Parse(afterUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var result = new List<string>();
        for (var i = 0; i < count && schedule.GetNextOccurrence(current) is { } next; i++)
        {
            next.Offset.Should().Be(schedule.TimeZone.GetUtcOffset(next), "an occurrence carries its zone's offset at that instant");
            result.Add(next.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            current = next;
        }

        return [.. result];
    }

    // America/New_York, spring forward: 2025-03-09 02:00 EST -> 03:00 EDT (07:00Z). Local 02:00-02:59 does not exist.
    [Theory]
    [InlineData("30 2 * * *",       "2025-03-09T05:00:00Z", "2025-03-09T03:00:00-04:00", "2025-03-10T02:30:00-04:00")] // gap: first valid instant
    [InlineData("0 2 * * *",        "2025-03-09T05:00:00Z", "2025-03-09T03:00:00-04:00", "2025-03-10T02:00:00-04:00")]
    [InlineData("0 30 2 * * *",     "2025-03-09T05:00:00Z", "2025-03-09T03:00:00-04:00", "2025-03-10T02:30:00-04:00")] // 6-field, same
    [InlineData("0 3 * * *",        "2025-03-09T05:00:00Z", "2025-03-09T03:00:00-04:00", "2025-03-10T03:00:00-04:00")] // 03:00 exists: once
    [InlineData("30 1 * * *",       "2025-03-09T05:00:00Z", "2025-03-09T01:30:00-05:00", "2025-03-10T01:30:00-04:00")] // before the gap
    [InlineData("*/15 * * * *",     "2025-03-09T06:40:00Z", "2025-03-09T01:45:00-05:00", "2025-03-09T03:00:00-04:00", "2025-03-09T03:15:00-04:00")] // interval: 02:xx collapse to one 03:00
    [InlineData("*/20 * * * * *",   "2025-03-09T06:59:30Z", "2025-03-09T01:59:40-05:00", "2025-03-09T03:00:00-04:00", "2025-03-09T03:00:20-04:00")] // seconds-level across the gap
    [InlineData("0 2 9 3 *",        "2025-01-01T00:00:00Z", "2025-03-09T03:00:00-04:00", "2026-03-09T02:00:00-04:00")] // yearly, lands in the gap once
    public void NewYork_SpringForward(string expression, string after, params string[] expected) =>
        Next(expression, NewYork, after, expected.Length).Should().Equal(expected);

    // America/New_York, fall back: 2025-11-02 02:00 EDT -> 01:00 EST (06:00Z). Local 01:00-01:59 happens twice:
    // first pass 05:00-05:59Z (-04:00), second pass 06:00-06:59Z (-05:00).
    [Theory]
    [InlineData("30 1 * * *",       "2025-11-02T04:00:00Z", "2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00")] // fixed: once, first pass
    [InlineData("0 30 1 * * *",     "2025-11-02T05:45:00Z", "2025-11-03T01:30:00-05:00")]                              // fixed, after it in pass one: no second firing
    [InlineData("0 30 1 * * *",     "2025-11-02T06:10:00Z", "2025-11-03T01:30:00-05:00")]                              // fixed, inside pass two: next day
    [InlineData("0 1 * * *",        "2025-11-02T04:00:00Z", "2025-11-02T01:00:00-04:00", "2025-11-03T01:00:00-05:00")]
    [InlineData("*/30 * * * *",     "2025-11-02T04:50:00Z", "2025-11-02T01:00:00-04:00", "2025-11-02T01:30:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T01:30:00-05:00", "2025-11-02T02:00:00-05:00")] // interval: both passes
    [InlineData("*/30 * * * *",     "2025-11-02T06:10:00Z", "2025-11-02T01:30:00-05:00", "2025-11-02T02:00:00-05:00")] // interval, starting inside pass two
    [InlineData("0 1-2 * * *",      "2025-11-02T04:00:00Z", "2025-11-02T01:00:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T02:00:00-05:00")] // a range is an interval
    [InlineData("0 0 1 * * *",      "2025-11-02T04:00:00Z", "2025-11-02T01:00:00-04:00", "2025-11-03T01:00:00-05:00")]
    [InlineData("*/20 59 1 * * *",  "2025-11-02T05:58:00Z", "2025-11-02T01:59:00-04:00", "2025-11-02T01:59:20-04:00", "2025-11-02T01:59:40-04:00", "2025-11-02T01:59:00-05:00")] // seconds-level, both passes
    [InlineData("0 1,2 * * *",      "2025-11-02T04:00:00Z", "2025-11-02T01:00:00-04:00", "2025-11-02T02:00:00-05:00")] // a list is fixed
    public void NewYork_FallBack(string expression, string after, params string[] expected) =>
        Next(expression, NewYork, after, expected.Length).Should().Equal(expected);

    // Europe/London: 2025-03-30 01:00 GMT -> 02:00 BST (01:00Z); 2025-10-26 02:00 BST -> 01:00 GMT (01:00Z).
    [Theory]
    [InlineData("30 1 * * *",       "2025-06-01T00:00:00Z", "2025-06-01T01:30:00+01:00")] // summer: 01:30 BST
    [InlineData("30 1 * * *",       "2025-03-30T00:00:00Z", "2025-03-30T02:00:00+01:00", "2025-03-31T01:30:00+01:00")] // gap: first valid instant
    [InlineData("30 1 * * *",       "2025-10-26T00:31:00Z", "2025-10-27T01:30:00+00:00")] // overlap: fires once
    [InlineData("30 1 * * *",       "2025-10-26T00:00:00Z", "2025-10-26T01:30:00+01:00", "2025-10-27T01:30:00+00:00")]
    [InlineData("0 * * * *",        "2025-10-25T23:30:00Z", "2025-10-26T01:00:00+01:00", "2025-10-26T01:00:00+00:00", "2025-10-26T02:00:00+00:00")] // hourly: both passes
    [InlineData("0 0 2 * * *",      "2025-03-29T12:00:00Z", "2025-03-30T02:00:00+01:00", "2025-03-31T02:00:00+01:00")] // an appliance 6-field schedule
    [InlineData("0 */30 * * * *",   "2025-03-30T00:15:00Z", "2025-03-30T00:30:00+00:00", "2025-03-30T02:00:00+01:00", "2025-03-30T02:30:00+01:00")]
    public void London_SpringAndFall(string expression, string after, params string[] expected) =>
        Next(expression, London, after, expected.Length).Should().Equal(expected);

    // Australia/Lord_Howe has a 30-minute DST shift. Standard +10:30, daylight +11:00.
    // 2025-04-06 02:00 LHDT -> 01:30 LHST (15:00Z): local 01:30-01:59 twice (14:30-14:59Z, then 15:00-15:29Z).
    // 2025-10-05 02:00 LHST -> 02:30 LHDT (15:30Z): local 02:00-02:29 does not exist.
    [Theory]
    [InlineData("45 1 * * *",       "2025-04-05T14:00:00Z", "2025-04-06T01:45:00+11:00", "2025-04-07T01:45:00+10:30")] // fixed: once
    [InlineData("*/15 * * * *",     "2025-04-05T14:20:00Z", "2025-04-06T01:30:00+11:00", "2025-04-06T01:45:00+11:00", "2025-04-06T01:30:00+10:30", "2025-04-06T01:45:00+10:30", "2025-04-06T02:00:00+10:30")] // interval: both passes
    [InlineData("15 2 * * *",       "2025-10-04T15:00:00Z", "2025-10-05T02:30:00+11:00", "2025-10-06T02:15:00+11:00")] // gap: first valid instant
    [InlineData("*/10 * * * *",     "2025-10-04T15:15:00Z", "2025-10-05T01:50:00+10:30", "2025-10-05T02:30:00+11:00", "2025-10-05T02:40:00+11:00")] // interval: gap collapses
    [InlineData("0 30 2 * * *",     "2025-10-04T15:00:00Z", "2025-10-05T02:30:00+11:00", "2025-10-06T02:30:00+11:00")] // the gap's end itself, once
    public void LordHowe_HalfHourShift(string expression, string after, params string[] expected) =>
        Next(expression, LordHowe, after, expected.Length).Should().Equal(expected);

    [Fact]
    public void DstDay_OccurrencesAreStrictlyIncreasingAndNeverRepeated()
    {
        foreach (var zone in new[] { NewYork, London, LordHowe })
        {
            var schedule = Evaluator.Parse("*/5 * * * *", zone);
            var all = schedule.GetOccurrences(DateTimeOffset.Parse("2025-01-01T00:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture)).ToList();
            all.Should().BeInAscendingOrder(o => o.UtcTicks).And.OnlyHaveUniqueItems(o => o.UtcTicks);
            // The UTC window starts and ends at the same offset in each zone, so the slots a gap skips (12, or 6 for Lord
            // Howe's 30 minutes) equal the slots its overlap repeats: exactly 365 days of 5-minute slots.
            all.Should().HaveCount(365 * 288);
        }
    }
}
