namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// Thousands of schedules: an edit re-plans the schedule it names, not all of them. Counted by the plan itself (how many
/// schedule rows it re-planned), a figure no machine load changes; the load time is in the benchmarks.
/// </summary>
public sealed class ManySchedulesTests
{
    // Europe/Berlin springs forward on 2025-03-30 at 02:00 CET -> 03:00 CEST; the clock starts 1.5 s before 01:00Z.
    private static readonly DateTimeOffset Start = new(2025, 3, 30, 0, 59, 58, 500, TimeSpan.Zero);
    private const int Count = 2_000;

    [Fact]
    public async Task EditOfOneSchedule_ReplansOnlyThatSchedule_AndKeepsTheOthersNextFireTimes()
    {
        await using var h = await StartAsync();
        var before = h.Engine.Replanned;
        var others = Enumerable.Range(1, 50).Select(i => (Id: $"s{i * 37}", Next: h.Engine.NextFireTime($"s{i * 37}"))).ToList();

        h.Schedule("s1", cron: "30 2 * * *", zone: "Europe/Berlin");         // was 03:00:01; 02:30 does not exist today: 03:00 CEST = 01:00Z
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") == new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero)), maxJump: TimeSpan.Zero);

        (h.Engine.Replanned - before).Should().Be(1, "the store's token named the one schedule written");
        others.Should().OnlyContain(o => h.Engine.NextFireTime(o.Id) == o.Next);
        await h.StopAsync();
    }

    [Fact]
    public async Task DeletedAndDisabledSchedules_LeaveThePlan_OneReplanEach_AndGroupEditsReplanNothing()
    {
        await using var h = await StartAsync();
        var before = h.Engine.Replanned;

        h.Group("g-new", scheduleId: "s5");                                  // read when s5 runs: no re-plan
        h.Store.RemoveSchedule("s1");
        h.Schedule("s2", cron: "*/10 * * * * *", change: s => s with { Enabled = false });
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s1") is null && h.Engine.NextFireTime("s2") is null), maxJump: TimeSpan.Zero);

        (h.Engine.Replanned - before).Should().Be(2);
        h.Engine.NextFireTime("s3").Should().NotBeNull();
        await h.StopAsync();
    }

    [Fact]
    public async Task NotifyChanged_NamesNoSchedule_SoEveryScheduleIsReplanned()
    {
        await using var h = await StartAsync();
        var before = h.Engine.Replanned;

        h.Scheduler.NotifyChanged();
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.Replanned - before >= Count), maxJump: TimeSpan.Zero);

        (h.Engine.Replanned - before).Should().Be(Count);
        await h.StopAsync();
    }

    [Fact]
    public async Task InvalidEdit_LeavesThePlan_AndItsFixReturnsIt_OneReplanEach()
    {
        await using var h = await StartAsync();
        var before = h.Engine.Replanned;

        h.Schedule("s7", cron: "61 * * * *");
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s7") is null), maxJump: TimeSpan.Zero);
        h.Schedule("s7", cron: "*/30 * * * * *");
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.NextFireTime("s7") is not null), maxJump: TimeSpan.Zero);

        (h.Engine.Replanned - before).Should().Be(2);
        h.Engine.NextFireTime("s7").Should().Be(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero));
        await h.StopAsync();
    }

    private static async Task<SchedulerHarness> StartAsync()
    {
        var h = SchedulerHarness.Create(Start);
        for (var i = 0; i < Count; i++)
        {
            h.Schedule($"s{i}", cron: $"{i % 60} {i / 60 % 60} 3 * * *", zone: "Europe/Berlin");
        }

        await h.StartAsync();
        // Replanned counts rows as they are read; the start-up load joins them to the plan only after its catch-up, so
        // wait for both or an edit's wait could be satisfied by the load itself.
        await h.Clock.RunUntilAsync(WaitUntil(() => h.Engine.Replanned >= Count && h.Engine.PlannedCount == Count), maxJump: TimeSpan.Zero);
        h.Engine.Replanned.Should().Be(Count, "the first plan reads every schedule once");
        return h;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
