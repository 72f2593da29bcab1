using Microsoft.Extensions.DependencyInjection;
using FluentAssertions;
using Xunit;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>Backfill of past occurrences on the test clock: order, cap, claims, validation, DST days, the overlap policy.</summary>
public sealed class BackfillTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Backfill_RunsOccurrencesOldestFirst_OneAfterAnother_CappedAtMaxRuns()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(410);
        h.Oma.Lifecycle = ["replicating", "replicating", "completed"];
        h.Schedule(cron: "0 * * * *");
        h.Group("g1");
        h.Vms("g1", 2);

        var result = await h.Scheduler.BackfillAsync("s1", Start.AddHours(-10), Start.AddHours(-2), maxRuns: 3);
        var runs = new List<ScheduleExecution>();
        foreach (var id in result.ExecutionIds)
        {
            runs.Add(await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id)));
        }

        runs.Select(r => r.ScheduledFor).Should().Equal(Start.AddHours(-10), Start.AddHours(-9), Start.AddHours(-8));
        runs.Should().OnlyContain(r => r.TriggerKind == TriggerKind.Backfill && r.Status == ExecutionStatus.Completed && r.JobsCompleted == 2);
        for (var i = 1; i < runs.Count; i++)
        {
            runs[i].StartedAt.Should().BeOnOrAfter(runs[i - 1].CompletedAt!.Value, "each backfill runs after the previous one ended");
            runs[i].BufferedBehind.Should().Be(runs[i - 1].Id);
        }

        result.NextOccurrence.Should().Be(Start.AddHours(-7), "the cap left the rest of the range: backfilling from here goes on");
        result.AlreadyRecorded.Should().BeEmpty();
        (await h.Executions.GetAsync(runs[0].Id))!.TriggerKind.Should().Be(TriggerKind.Backfill);
    }

    [Fact]
    public async Task Backfill_TheSameRangeTwice_RunsNothingTwice_AndSkipsOccurrencesThatRan()
    {
        await using var h = SchedulerHarness.Create(Start.AddHours(-3));
        h.Schedule(cron: "0 * * * *");
        h.Group("g1");
        h.Vms("g1", 1);
        await h.StartAsync();
        await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(3, e => e.TriggerKind == TriggerKind.Scheduled));    // -2h, -1h and 0h ran by the clock

        var first = await h.Scheduler.BackfillAsync("s1", Start.AddHours(-5), Start.AddHours(1));
        foreach (var id in first.ExecutionIds)
        {
            await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));
        }

        var again = await h.Scheduler.BackfillAsync("s1", Start.AddHours(-5), Start.AddHours(1));
        await h.StopAsync();

        first.ExecutionIds.Select(id => h.Executions.All.Single(e => e.Id == id).ScheduledFor).Should().Equal(Start.AddHours(-5), Start.AddHours(-4), Start.AddHours(-3));
        first.AlreadyRecorded.Should().Equal(Start.AddHours(-2), Start.AddHours(-1), Start);
        first.NextOccurrence.Should().BeNull("the range ends at now: the next hour is the loop's, not a backfill's");
        again.ExecutionIds.Should().BeEmpty();
        again.AlreadyRecorded.Should().HaveCount(6);
        h.Executions.All.GroupBy(e => e.ScheduledFor).Should().OnlyContain(g => g.Count() == 1);
    }

    [Fact]
    public async Task Backfill_RefusesBadArguments_AndAnUnknownSchedule()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(cron: "0 * * * *");

        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", Start, Start)).Should().ThrowAsync<ArgumentException>().WithParameterName("fromInclusive");
        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", Start, Start.AddHours(-1))).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", Start.AddHours(-2), Start, maxRuns: 0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", Start.AddHours(-2), Start, maxRuns: BackfillResult.MaxRuns + 1)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("nope", Start.AddHours(-2), Start)).Should().ThrowAsync<ScheduleNotFoundException>();
        (await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", DateTimeOffset.MinValue, Start)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("fromInclusive"))
            .Which.Message.Should().Contain("must lie between");
        await FluentActions.Awaiting(() => h.Scheduler.BackfillAsync("s1", Start, DateTimeOffset.MaxValue)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("toExclusive");
        h.Executions.All.Should().BeEmpty();
    }

    [Theory]
    [InlineData(OutsideWindowPolicy.Skip)]
    [InlineData(OutsideWindowPolicy.Defer)]
    public async Task Backfill_InsideABlackoutOrOutsideTheWindow_IsSkippedWithThatReason_NotFailed_AndNeverAutoPauses(OutsideWindowPolicy policy)
    {
        await using var h = SchedulerHarness.Create(Start, options: o => o.AutoPauseAfterFailures = 1);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(410);
        h.Schedule("blackout", cron: "0 * * * *", change: s => s with { Blackouts = [new BlackoutPeriod(Start.AddHours(-1), Start.AddHours(1), "SAN firmware")] });
        h.Schedule("window", cron: "0 * * * *", change: s => s with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00"), OutsideWindowPolicy = policy });
        h.Group("g1", scheduleId: "blackout");
        h.Group("g2", scheduleId: "window");
        h.Vms("g1", 1);
        h.Vms("g2", 1);

        var runs = new List<ScheduleExecution>();
        foreach (var id in new[] { "blackout", "window" })
        {
            var result = await h.Scheduler.BackfillAsync(id, Start.AddHours(-3), Start, maxRuns: 2);
            foreach (var execution in result.ExecutionIds)
            {
                runs.Add(await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(execution)));
            }
        }

        runs.Should().HaveCount(4).And.OnlyContain(r => r.Status == ExecutionStatus.Skipped && r.TriggerKind == TriggerKind.Backfill);
        runs.Where(r => r.ScheduleId == "blackout").Should().OnlyContain(r => r.SkipReason == ExecutionSkipReason.Blackout && r.Reason!.Contains("SAN firmware"));
        runs.Where(r => r.ScheduleId == "window").Should().OnlyContain(r => r.SkipReason == ExecutionSkipReason.Window && r.Reason!.Contains("outside the replication window") && r.Reason.Contains("opens next at"));
        h.Submitter.Log.Should().BeEmpty();
        var pauses = h.Services.GetRequiredService<IPauseControl>();
        (await pauses.GetPausesAsync()).Should().BeEmpty("a skipped backfill is not a failed execution");
    }

    [Fact]
    public async Task Backfill_ObeysTheOverlapPolicy_SkipWhileAnotherExecutionRuns()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = [.. Enumerable.Repeat("replicating", 30), "completed"];
        h.Schedule(cron: "0 * * * *", change: s => s with { OverlapPolicy = OverlapPolicy.Skip });
        h.Group("g1");
        h.Vms("g1", 1);

        var running = await h.Scheduler.TriggerAsync("s1", "long run", "alice");
        var result = await h.Scheduler.BackfillAsync("s1", Start.AddHours(-2), Start);
        var runs = new List<ScheduleExecution>();
        foreach (var id in result.ExecutionIds)
        {
            runs.Add(await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id)));
        }

        runs.Should().HaveCount(2).And.OnlyContain(r => r.Status == ExecutionStatus.Skipped && r.SkipReason == ExecutionSkipReason.Overlap && r.Reason!.Contains(running));
        runs[1].Reason.Should().NotContain(runs[0].Id, "a backfill's own queue is not an overlap");
    }

    [Fact]
    public async Task Backfill_AcrossTheSpringForwardDay_RunsTheShiftedOccurrenceOnce()
    {
        // 02:30 Europe/Berlin does not exist on 2025-03-30: it fires once, at the gap's end (03:00 CEST = 01:00 UTC).
        var now = new DateTimeOffset(2025, 4, 2, 0, 0, 0, TimeSpan.Zero);
        await using var h = SchedulerHarness.Create(now);
        h.Schedule(cron: "30 2 * * *", zone: "Europe/Berlin");
        h.Group("g1");
        h.Vms("g1", 1);

        var result = await h.Scheduler.BackfillAsync("s1", new(2025, 3, 29, 0, 0, 0, TimeSpan.Zero), new(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var id in result.ExecutionIds)
        {
            await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));
        }

        result.ExecutionIds.Select(id => h.Executions.All.Single(e => e.Id == id).ScheduledFor).Should().Equal(
            new DateTimeOffset(2025, 3, 29, 1, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 3, 31, 0, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Backfill_AcrossTheFallBackDay_RunsBothPassesOfTheRepeatedHour()
    {
        // An hourly (interval) expression fires in both passes of 02:00 Europe/Berlin on 2025-10-26: 25 occurrences that day.
        var now = new DateTimeOffset(2025, 10, 28, 0, 0, 0, TimeSpan.Zero);
        await using var h = SchedulerHarness.Create(now);
        h.Schedule(cron: "0 * * * *", zone: "Europe/Berlin");
        var dayStart = new DateTimeOffset(2025, 10, 25, 22, 0, 0, TimeSpan.Zero);   // 00:00 CEST
        var dayEnd = new DateTimeOffset(2025, 10, 26, 23, 0, 0, TimeSpan.Zero);     // 00:00 CET

        var result = await h.Scheduler.BackfillAsync("s1", dayStart, dayEnd, maxRuns: 30);
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(result.ExecutionIds[^1]));

        var occurrences = result.ExecutionIds.Select(id => h.Executions.All.Single(e => e.Id == id).ScheduledFor).ToList();
        occurrences.Should().HaveCount(25).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
        occurrences.Should().Contain([new DateTimeOffset(2025, 10, 26, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 10, 26, 1, 0, 0, TimeSpan.Zero)], "02:00 CEST and 02:00 CET");
        result.NextOccurrence.Should().BeNull();
    }
}
