using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// The zone's shared spans of constant offset: what a search asks for from any thread or schedule, built once per year,
/// matching the zone's own offsets.
/// </summary>
[Collection(ZoneDataCollection.Name)]
public sealed class ZoneTransitionsTests
{
    private static readonly DateTime SpringForward2025 = new(2025, 3, 9, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void IntervalAt_GivesEachSpan_WithTheZonesOffsetsAndChangeInstants()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var transitions = ZoneTransitions.For(zone);

        var before = transitions.IntervalAt(SpringForward2025.Ticks - TimeSpan.TicksPerSecond);
        var after = transitions.IntervalAt(SpringForward2025.Ticks);

        before.EndTicks.Should().Be(SpringForward2025.Ticks);
        before.Offset.Should().Be(TimeSpan.FromHours(-5));
        before.NextOffset.Should().Be(TimeSpan.FromHours(-4));
        after.StartTicks.Should().Be(SpringForward2025.Ticks);
        after.Offset.Should().Be(TimeSpan.FromHours(-4));
        after.PreviousOffset.Should().Be(TimeSpan.FromHours(-5));
        transitions.Zone.Should().BeSameAs(zone);
    }

    [Fact]
    public void IntervalAt_AfterTheRecentSpansWereDisplaced_HandsOutTheSameSpan_WithoutAllocating()
    {
        var transitions = ZoneTransitions.For(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var march = new DateTime(2024, 3, 15, 12, 0, 0, DateTimeKind.Utc).Ticks;
        var first = transitions.IntervalAt(march);

        // Other callers (threads, schedules, instants in other years) take every recent slot in front.
        for (var year = 2000; year < 2020; year++)
        {
            transitions.IntervalAt(new DateTime(year, 7, 1, 0, 0, 0, DateTimeKind.Utc).Ticks);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var again = transitions.IntervalAt(march + TimeSpan.TicksPerDay);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        again.Should().BeSameAs(first);
        allocated.Should().Be(0);
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Amman")]
    [InlineData("America/Fort_Nelson")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("UTC")]
    public void IntervalAt_ForEveryHourOfAYear_ContainsTheInstant_AndHasTheZonesOffset(string id)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        var transitions = ZoneTransitions.For(zone);
        foreach (var year in new[] { 1970, 1993, 2015, 2025 })
        {
            for (var t = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc); t.Year == year; t = t.AddHours(1))
            {
                var span = transitions.IntervalAt(t.Ticks);
                span.Contains(t.Ticks).Should().BeTrue($"{id} at {t:O}");
                span.Offset.Should().Be(zone.GetUtcOffset(t), $"{id} at {t:O}");
            }
        }
    }
}
