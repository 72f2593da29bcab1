namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// The occurrence search against a linear scan, on random instants with sub-second and tick parts, in several zones, far in
/// the past and future. Every call runs under a watchdog: a search that stops making progress fails instead of hanging.
/// </summary>
public sealed class OccurrenceMathTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(10);

    private static readonly (string Cron, string Zone)[] Schedules =
    [
        ("*/2 * * * * *", "UTC"),
        ("*/10 * * * * *", "America/New_York"),
        ("7,23,41 * * * * *", "Australia/Lord_Howe"),
        ("0 */5 * * * *", "Europe/London"),
        ("30 2 * * *", "America/New_York"),
        ("0 0 2 * * *", "Asia/Kathmandu"),
    ];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Latest_MatchesALinearScan_ForRandomSubSecondRanges(int seed)
    {
        var random = new Random(seed);
        var (cron, zone) = Schedules[random.Next(Schedules.Length)];
        var schedule = new CronScheduleEvaluator().Parse(cron, zone);
        var year = random.Next(3) switch { 0 => random.Next(1971, 1990), 1 => random.Next(2024, 2027), _ => random.Next(2090, 2200) };
        var after = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero)
            + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerDay * 364));

        // Gaps from a tick to a few days, always with a sub-second part: the real clock's "now" never sits on a second.
        var gap = random.Next(4) switch
        {
            0 => TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerSecond * 3)),
            1 => TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute * 5)),
            2 => TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour * 6)),
            _ => TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerHour, TimeSpan.TicksPerDay * 3)),
        };
        var until = after + gap;

        var expected = schedule.GetOccurrences(after, until).Cast<DateTimeOffset?>().LastOrDefault();
        var actual = await Task.Run(() => OccurrenceMath.Latest(schedule, after, until)).WaitAsync(Watchdog);

        actual.Should().Be(expected, $"seed {seed}: '{cron}' in {zone}, after {after:O}, until {until:O}");
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.5)]
    [InlineData(1.37)]
    [InlineData(1.999)]
    public async Task Latest_WakingJustAfterTheDueTime_FindsThatOccurrence(double lateSeconds)
    {
        // The loop's own question on a real clock: due at :10, woken a little later.
        var schedule = new CronScheduleEvaluator().Parse("*/10 * * * * *", "UTC");
        var due = new DateTimeOffset(2026, 12, 1, 22, 0, 10, TimeSpan.Zero);

        var latest = await Task.Run(() => OccurrenceMath.Latest(schedule, due.AddTicks(-1), due.AddSeconds(lateSeconds))).WaitAsync(Watchdog);

        latest.Should().Be(due);
    }

    [Fact]
    public async Task Latest_WorksForSchedulesThatFireOffTheWholeSecond()
    {
        // A pluggable evaluator may fire at any tick: every 1.5 s from an odd origin.
        var schedule = new EveryInterval(TimeSpan.FromMilliseconds(1500), new DateTimeOffset(2026, 1, 1, 0, 0, 0, 123, TimeSpan.Zero));
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var after = schedule.Origin + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerHour));
            var until = after + TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerSecond * 10));
            var expected = schedule.GetOccurrences(after, until).Cast<DateTimeOffset?>().LastOrDefault();

            var actual = await Task.Run(() => OccurrenceMath.Latest(schedule, after, until)).WaitAsync(Watchdog);

            actual.Should().Be(expected, $"after {after:O}, until {until:O}");
        }
    }

    [Fact]
    public void Latest_EmptyOrInvertedRanges_HaveNone()
    {
        var schedule = new CronScheduleEvaluator().Parse("* * * * * *", "UTC");
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        OccurrenceMath.Latest(schedule, at, at).Should().BeNull();
        OccurrenceMath.Latest(schedule, at, at.AddTicks(-1)).Should().BeNull();
        OccurrenceMath.Latest(schedule, at.AddTicks(1), at.AddSeconds(1).AddTicks(-1)).Should().BeNull();
        OccurrenceMath.Latest(schedule, at.AddTicks(-1), at).Should().Be(at);
    }

    private sealed class EveryInterval(TimeSpan interval, DateTimeOffset origin) : ISchedule
    {
        public DateTimeOffset Origin => origin;

        public string Expression => $"every {interval}";

        public TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

        public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
        {
            var n = after < origin ? 0 : ((after - origin).Ticks / interval.Ticks) + 1;
            return origin + TimeSpan.FromTicks(n * interval.Ticks);
        }

        public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until)
        {
            for (var t = GetNextOccurrence(after); t is { } v && v <= until; t = GetNextOccurrence(v))
            {
                yield return v;
            }
        }
    }
}
