using System.Globalization;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// Window membership on the time line of a zone: wall-clock hours across DST days (New York, London), a change of offset
/// that is not DST (Managua 1993), and a seeded comparison with a minute-by-minute scan that reads the zone's offsets itself.
/// </summary>
public sealed class WindowClockTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static int MinutesOpen(ReplicationWindow window, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var count = 0;
        for (var t = from; t < to; t = t.AddMinutes(1))
        {
            count += WindowClock.IsOpen(window, zone, t) ? 1 : 0;
        }

        return count;
    }

    // America/New_York, spring forward: 2025-03-09 02:00 EST -> 03:00 EDT (07:00Z). Local 02:00-02:59 does not exist.
    [Fact]
    public void NewYork_SpringForward_TheMissingHourIsNeverInside()
    {
        var zone = Zone("America/New_York");
        var window = ReplicationWindow.Parse("Sun 02:00-03:00");

        MinutesOpen(window, zone, Utc("2025-03-09T00:00:00Z"), Utc("2025-03-10T00:00:00Z")).Should().Be(0);
        WindowClock.NextOpening(window, zone, Utc("2025-03-09T00:00:00.250Z")).Should().Be(Utc("2025-03-16T06:00:00Z"), "the next Sunday's 02:00 EDT");

        var around = ReplicationWindow.Parse("Sun 01:00-04:00");
        MinutesOpen(around, zone, Utc("2025-03-09T00:00:00Z"), Utc("2025-03-10T00:00:00Z")).Should().Be(120, "01:00-02:00 EST and 03:00-04:00 EDT");
        WindowClock.NextClosing(around, zone, Utc("2025-03-09T06:30:00.400Z")).Should().Be(Utc("2025-03-09T08:00:00Z"), "04:00 EDT: the change itself is no closing");
    }

    // America/New_York, fall back: 2025-11-02 02:00 EDT -> 01:00 EST (06:00Z). Local 01:00-01:59 happens twice.
    [Fact]
    public void NewYork_FallBack_TheRepeatedHourIsInsideTwice()
    {
        var zone = Zone("America/New_York");
        var window = ReplicationWindow.Parse("Sun 01:00-02:00");

        MinutesOpen(window, zone, Utc("2025-11-02T00:00:00Z"), Utc("2025-11-03T00:00:00Z")).Should().Be(120);
        WindowClock.NextOpening(window, zone, Utc("2025-11-02T04:59:59.600Z")).Should().Be(Utc("2025-11-02T05:00:00Z"));
        WindowClock.NextClosing(window, zone, Utc("2025-11-02T05:00:00.400Z")).Should().Be(Utc("2025-11-02T07:00:00Z"), "both passes of 01:00 are inside");
    }

    // Europe/London: 2025-03-30 01:00 GMT -> 02:00 BST; 2025-10-26 02:00 BST -> 01:00 GMT.
    [Fact]
    public void London_BothTransitions()
    {
        var zone = Zone("Europe/London");
        var window = ReplicationWindow.Parse("Sun 01:00-02:00");

        MinutesOpen(window, zone, Utc("2025-03-29T22:00:00Z"), Utc("2025-03-30T23:00:00Z")).Should().Be(0, "01:00-02:00 does not exist on the spring day");
        MinutesOpen(window, zone, Utc("2025-10-25T22:00:00Z"), Utc("2025-10-26T23:00:00Z")).Should().Be(120, "01:00-02:00 happens twice on the autumn day");
        WindowClock.IsOpen(window, zone, Utc("2025-10-26T00:00:00Z")).Should().BeTrue("01:00 BST");
        WindowClock.IsOpen(window, zone, Utc("2025-10-26T01:59:59.900Z")).Should().BeTrue("01:59 GMT");
        WindowClock.IsOpen(window, zone, Utc("2025-10-26T02:00:00Z")).Should().BeFalse("02:00 GMT");
    }

    // America/Managua, 1993-01-01: the standard offset moved from -06:00 to -05:00 at local midnight (no DST rule involved),
    // so local 00:00-00:59 that Friday never happened.
    [Fact]
    public void Managua_AChangeOfStandardOffset_IsAGapToo()
    {
        var zone = Zone("America/Managua");
        var window = ReplicationWindow.Parse("Fri 00:00-01:00");

        var firstFriday = new DateTimeOffset(1993, 1, 1, 0, 0, 0, TimeSpan.FromHours(-6));
        MinutesOpen(window, zone, firstFriday.AddHours(-2), firstFriday.AddHours(6)).Should().Be(0);
        var next = WindowClock.NextOpening(window, zone, firstFriday.AddHours(-2));
        next.Should().NotBeNull();
        next!.Value.Should().BeAfter(firstFriday.AddDays(6));
        TimeZoneInfo.ConvertTime(next.Value, zone).TimeOfDay.Should().Be(TimeSpan.Zero);
        TimeZoneInfo.ConvertTime(next.Value, zone).DayOfWeek.Should().Be(DayOfWeek.Friday);
    }

    [Fact]
    public void Always_NeverCloses() =>
        WindowClock.NextClosing(ReplicationWindow.Always, Zone("Europe/London"), Utc("2025-10-26T01:00:00Z")).Should().BeNull();

    /// <summary>Random windows and instants near transitions, against a minute scan using <c>GetUtcOffset</c> directly.</summary>
    [Theory]
    [InlineData(11, "America/New_York")]
    [InlineData(12, "Europe/London")]
    [InlineData(13, "Australia/Lord_Howe")]
    [InlineData(14, "America/Managua")]
    public void NextOpeningAndClosing_MatchAMinuteScan(int seed, string zoneId)
    {
        var zone = Zone(zoneId);
        var random = new Random(seed);
        var anchors = new[] { Utc("2025-03-09T07:00:00Z"), Utc("2025-11-02T06:00:00Z"), Utc("2025-03-30T01:00:00Z"), Utc("2025-10-26T01:00:00Z"), Utc("2025-04-05T15:00:00Z"), Utc("1993-01-01T06:00:00Z") };
        for (var i = 0; i < 150; i++)
        {
            var density = 0.05 + (random.NextDouble() * 0.9);
            var grid = Enumerable.Range(0, 7 * 24).Select(_ => random.NextDouble() < density).ToArray();
            grid[random.Next(grid.Length)] = true;
            var window = ReplicationWindow.Create((d, h) => grid[((int)d * 24) + h]);
            var from = anchors[random.Next(anchors.Length)].AddMinutes(random.Next(-3 * 24 * 60, 3 * 24 * 60)).AddMilliseconds(random.Next(1000));

            bool Oracle(DateTimeOffset t)
            {
                var local = t.UtcDateTime + zone.GetUtcOffset(t.UtcDateTime);
                return grid[((int)local.DayOfWeek * 24) + local.Hour];
            }

            DateTimeOffset Scan(bool open)
            {
                if (Oracle(from) == open)
                {
                    return from;
                }

                var t = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
                while (Oracle(t) != open)
                {
                    t = t.AddMinutes(1);
                }

                return t;
            }

            var context = $"seed {seed} case {i}: '{window}' from {from:O}";
            WindowClock.IsOpen(window, zone, from).Should().Be(Oracle(from), context);
            WindowClock.NextOpening(window, zone, from).Should().Be(Scan(open: true), context);
            if (!window.IsAlways)
            {
                WindowClock.NextClosing(window, zone, from).Should().Be(Scan(open: false), context);
            }
        }
    }
}
