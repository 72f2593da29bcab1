using Microsoft.Extensions.DependencyInjection;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// The preview against the engine: a simulated week across a DST change, then the engine runs that week on the test clock
/// (sub-second lateness) and every occurrence, every VM's fate and every spread start must be what the preview said.
/// </summary>
public sealed class PreviewTests
{
    // Monday 2025-03-03 00:00:00.25 UTC; New York springs forward on Sunday 2025-03-09 (02:00 EST → 03:00 EDT).
    private static readonly DateTimeOffset WeekStart = new(2025, 3, 3, 0, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task Preview_OfAWeekAcrossTheSpringForward_IsWhatTheEngineThenDoes()
    {
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(370);
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule("ny", cron: "30 2 * * *", zone: "America/New_York", change: s => s with { Spread = TimeSpan.FromMinutes(20), MaxConcurrentJobs = 10 });
        h.Schedule("utc", cron: "15 */8 * * *", change: s => s with { MaxConcurrentJobs = 10 });
        h.Schedule("off", cron: "0 * * * *", change: s => s with { Enabled = false });
        h.Group("g-ny", scheduleId: "ny", maxConcurrentVms: 10);
        h.Group("g-utc", scheduleId: "utc", maxConcurrentVms: 10);
        h.Vms("g-ny", 6);
        h.Vms("g-ny", 1, prefix: "paused-by-host", change: (_, v) => v with { SchedulerEnabled = false });
        h.Vms("g-ny", 1, prefix: "failed-over", change: (_, v) => v with { CurrentStatus = "failed_over_test" });
        h.Vms("g-ny", 1, prefix: "no-dc", change: (_, v) => v with { Datacenter = "" });
        h.Vms("g-utc", 3);
        h.Store.Upsert(new GroupMembership { GroupId = "g-utc", VmContextId = "ctx-ghost" });
        var left = h.Vms("g-utc", 1, prefix: "left")[0];
        h.Store.Upsert(new GroupMembership { GroupId = "g-utc", VmContextId = left.ContextId, Enabled = false, Priority = 0 });

        var previews = await h.Scheduler.PreviewAsync(WeekStart, WeekStart.AddDays(7));

        previews.Select(p => p.ScheduleId).Should().Equal("ny", "off", "utc");
        var ny = previews[0];
        var off = previews[1];
        var utc = previews[2];
        off.Problem.Should().Be("the schedule is disabled");
        off.Occurrences.Should().BeEmpty();
        ny.Occurrences.Should().HaveCount(7);
        utc.Occurrences.Should().HaveCount(21);
        var springForward = ny.Occurrences.Single(o => o.Local.Date == new DateTime(2025, 3, 9));
        (springForward.Dst, springForward.Local.TimeOfDay, springForward.Local.Offset).Should().Be((OccurrenceDst.Shifted, new TimeSpan(3, 0, 0), TimeSpan.FromHours(-4)));
        ny.Occurrences.Where(o => o != springForward).Should().OnlyContain(o => o.Dst == OccurrenceDst.None && o.Local.TimeOfDay == new TimeSpan(2, 30, 0));
        ny.Vms.Select(v => (v.VmName, v.Status)).Should().BeEquivalentTo(new[]
        {
            ("g-ny-vm00", VmPreviewStatus.Selected), ("g-ny-vm01", VmPreviewStatus.Selected), ("g-ny-vm02", VmPreviewStatus.Selected),
            ("g-ny-vm03", VmPreviewStatus.Selected), ("g-ny-vm04", VmPreviewStatus.Selected), ("g-ny-vm05", VmPreviewStatus.Selected),
            ("paused-by-host-vm00", VmPreviewStatus.VmDisabled), ("failed-over-vm00", VmPreviewStatus.VmInFailover), ("no-dc-vm00", VmPreviewStatus.NotATarget),
        });
        utc.Vms.Select(v => (v.ContextId, v.Status)).Should().BeEquivalentTo(new[]
        {
            ("ctx-g-utc-00", VmPreviewStatus.Selected), ("ctx-g-utc-01", VmPreviewStatus.Selected), ("ctx-g-utc-02", VmPreviewStatus.Selected),
            ("ctx-ghost", VmPreviewStatus.ContextMissing), (left.ContextId, VmPreviewStatus.NotAMember),
        });

        // The engine, over the same week. The clock is held before each next occurrence until the ones before it have
        // finished: on a loaded machine it would otherwise jump there while an execution has not yet armed its starts.
        await h.StartAsync();
        // First held at the occurrence's first planned start until that VM is submitted (the execution's selection and
        // checks are store reads, not timers), then before the next occurrence until this one has finished.
        var due = ny.Occurrences.Concat(utc.Occurrences).OrderBy(o => o.ScheduledFor).ToList();
        var expected = due.Count;
        var names = ny.Vms.Concat(utc.Vms).GroupBy(v => v.ContextId).ToDictionary(g => g.Key, g => g.First().VmName);
        for (var i = 0; i < due.Count; i++)
        {
            var first = due[i].Starts.MinBy(s => s.At)!;
            h.Clock.Horizon = first.At.AddSeconds(0.5);
            await h.Clock.RunUntilAsync(WaitUntil(() => h.Submitter.Log.Any(l => l.VmName == names[first.ContextId] && l.At >= due[i].ScheduledFor)));
            h.Clock.Horizon = i + 1 < due.Count ? due[i + 1].ScheduledFor.AddSeconds(-1) : null;
            await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(i + 1));
        }

        h.Clock.Horizon = null;
        var runs = await h.Observer.WaitForAsync(expected);
        await h.StopAsync();

        runs.Should().HaveCount(expected, "the engine fires exactly the previewed occurrences (and nothing of the disabled schedule)");
        foreach (var preview in new[] { ny, utc })
        {
            var ran = runs.Where(r => r.ScheduleId == preview.ScheduleId).OrderBy(r => r.ScheduledFor).ToList();
            ran.Select(r => r.ScheduledFor).Should().Equal(preview.Occurrences.Select(o => o.ScheduledFor));
            foreach (var (run, occurrence) in ran.Zip(preview.Occurrences))
            {
                foreach (var vm in preview.Vms)
                {
                    var outcome = run.VmOutcomes.SingleOrDefault(o => o.ContextId == vm.ContextId);
                    ExpectOutcome(vm, outcome, run.Id);
                }

                foreach (var start in occurrence.Starts)
                {
                    var vmName = preview.Vms.Single(v => v.ContextId == start.ContextId).VmName;
                    var submitted = h.Submitter.Log.Where(l => l.VmName == vmName && l.At >= run.ScheduledFor && l.At < (occurrence.Deadline ?? DateTimeOffset.MaxValue)).Select(l => l.At).ToList();
                    submitted.Should().ContainSingle($"{vmName} is submitted once in {run.Id}");
                    (submitted[0] - start.At).Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThan(TimeSpan.FromSeconds(2), $"{vmName} starts where the preview put it in {run.Id}");
                }
            }
        }
    }

    [Fact]
    public async Task Preview_SpreadPastTheDeadline_CountsTheVmsTheEngineLeavesNotStarted()
    {
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(370);
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(cron: "*/10 * * * *", change: s => s with { Spread = TimeSpan.FromMinutes(40) });
        h.Group("g1", maxConcurrentVms: 50);
        h.Vms("g1", 12);

        var preview = await h.Scheduler.PreviewAsync("s1", WeekStart, WeekStart.AddMinutes(10));
        await h.StartAsync();
        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).MinBy(r => r.ScheduledFor)!;
        await h.StopAsync();

        var occurrence = preview.Occurrences.Should().ContainSingle().Which;
        occurrence.Deadline.Should().Be(occurrence.ScheduledFor.AddMinutes(10));
        occurrence.StartsPastDeadline.Should().BePositive();
        run.VmOutcomes.Count(o => o.Kind == VmOutcomeKind.NotStarted).Should().Be(occurrence.StartsPastDeadline);
        run.VmOutcomes.Where(o => o.Kind == VmOutcomeKind.JobCompleted).Select(o => o.ContextId).Should().BeEquivalentTo(occurrence.Starts.Select(s => s.ContextId));
        occurrence.Starts.Select(s => s.At).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Preview_WithAWindowABlackoutAndAVmPause_IsWhatTheEngineThenDoes()
    {
        // Every 4 hours UTC; the window allows 00:00-12:00 only; a blackout covers Wednesday 04:00-05:00; one VM is paused.
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(370);
        h.Oma.Lifecycle = ["replicating", "completed"];
        var blackoutStart = new DateTimeOffset(2025, 3, 5, 4, 0, 0, TimeSpan.Zero);
        h.Schedule(cron: "0 */4 * * *", change: s => s with
        {
            MaxConcurrentJobs = 10,
            Window = ReplicationWindow.Parse("Mon-Sun 00:00-12:00"),
            Blackouts = [new BlackoutPeriod(blackoutStart, blackoutStart.AddHours(1), "array firmware")],
        });
        h.Group("g1", maxConcurrentVms: 10);
        var vms = h.Vms("g1", 3);
        await h.Services.GetRequiredService<IPauseControl>().PauseAsync(PauseTarget.Vm(vms[2].ContextId), "disk migration", "alice");

        var preview = await h.Scheduler.PreviewAsync("s1", WeekStart, WeekStart.AddDays(3));
        await h.StartAsync();
        var runs = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(preview.Occurrences.Count))).OrderBy(r => r.ScheduledFor).ToList();
        await h.StopAsync();

        preview.Occurrences.Should().HaveCount(18);
        preview.Occurrences.Count(o => o.SkipReason == ExecutionSkipReason.Window).Should().Be(9, "16:00, 20:00 and 12:00 are outside the window each day");
        preview.Occurrences.Should().ContainSingle(o => o.SkipReason == ExecutionSkipReason.Blackout).Which.ScheduledFor.Should().Be(blackoutStart);
        preview.Vms.Single(v => v.ContextId == vms[2].ContextId).Status.Should().Be(VmPreviewStatus.Paused);
        runs.Take(preview.Occurrences.Count).Select(r => r.ScheduledFor).Should().Equal(preview.Occurrences.Select(o => o.ScheduledFor));
        foreach (var (run, occurrence) in runs.Zip(preview.Occurrences))
        {
            run.SkipReason.Should().Be(occurrence.SkipReason, $"{run.ScheduledFor:O}: {run.Reason}");
            if (occurrence.SkipReason is null)
            {
                occurrence.PausedVms.Should().Equal(vms[2].ContextId);
                run.VmOutcomes.Single(o => o.ContextId == vms[2].ContextId).SkipReason.Should().Be(SkipReason.Paused);
                run.VmOutcomes.Where(o => o.Kind == VmOutcomeKind.JobCompleted).Select(o => o.ContextId).Should().BeEquivalentTo(occurrence.Starts.Select(x => x.ContextId));
            }
        }
    }

    [Theory]
    [InlineData("30 1 * * *", new[] { OccurrenceDst.RepeatedFirstPass })]
    [InlineData("*/30 1 * * *", new[] { OccurrenceDst.RepeatedFirstPass, OccurrenceDst.RepeatedFirstPass, OccurrenceDst.RepeatedSecondPass, OccurrenceDst.RepeatedSecondPass })]
    [InlineData("0 0 * * *", new[] { OccurrenceDst.None })]
    public async Task Preview_OnTheFallBackNight_MarksTheRepeatedHour(string cron, OccurrenceDst[] expected)
    {
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Schedule(cron: cron, zone: "America/New_York");
        var night = new DateTimeOffset(2025, 11, 2, 0, 0, 0, TimeSpan.FromHours(-4));

        var preview = await h.Scheduler.PreviewAsync("s1", night, night.AddHours(4));

        preview.Occurrences.Select(o => o.Dst).Should().Equal(expected);
        preview.Occurrences.Select(o => o.Local.Offset).Distinct().Should().HaveCount(expected.Contains(OccurrenceDst.RepeatedSecondPass) ? 2 : 1);
    }

    [Theory]
    [InlineData("30 2 * * *", OccurrenceDst.Shifted)]
    [InlineData("0 3 * * *", OccurrenceDst.None)]
    public async Task Preview_OnTheSpringForwardNight_MarksOnlyTheShiftedTime(string cron, OccurrenceDst expected)
    {
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Schedule(cron: cron, zone: "America/New_York");
        var night = new DateTimeOffset(2025, 3, 9, 0, 0, 0, TimeSpan.FromHours(-5));

        var preview = await h.Scheduler.PreviewAsync("s1", night, night.AddHours(5));

        var occurrence = preview.Occurrences.Should().ContainSingle().Which;
        (occurrence.Dst, occurrence.Local.Hour, occurrence.ScheduledFor).Should().Be((expected, 3, new DateTimeOffset(2025, 3, 9, 7, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Preview_AnOffsetChangeThatIsNotDst_IsMarkedToo()
    {
        // Managua moved from UTC-6 to UTC-5 at local midnight on 1993-01-01: that midnight never existed.
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Schedule(cron: "0 0 1 1 *", zone: "America/Managua");
        var from = new DateTimeOffset(1992, 12, 31, 0, 0, 0, TimeSpan.Zero);

        var preview = await h.Scheduler.PreviewAsync("s1", from, from.AddDays(3));

        preview.Occurrences.Should().ContainSingle().Which.Dst.Should().Be(OccurrenceDst.Shifted);
    }

    [Fact]
    public async Task Preview_BadInput_IsTypedAndAnUnrunnableScheduleSaysWhy()
    {
        await using var h = SchedulerHarness.Create(WeekStart);
        h.Schedule("bad-cron", cron: "61 * * * *");
        h.Schedule("bad-zone", cron: "0 * * * *", zone: "Mars/Olympus");
        h.Schedule("every-second", cron: "* * * * * *");

        await h.Scheduler.Awaiting(s => s.PreviewAsync(WeekStart, WeekStart)).Should().ThrowAsync<ArgumentException>().WithParameterName("until");
        await h.Scheduler.Awaiting(s => s.PreviewAsync(WeekStart, WeekStart.AddDays(-1))).Should().ThrowAsync<ArgumentException>();
        await h.Scheduler.Awaiting(s => s.PreviewAsync(WeekStart, WeekStart.AddDays(367))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await h.Scheduler.Awaiting(s => s.PreviewAsync("nope", WeekStart, WeekStart.AddDays(1))).Should().ThrowAsync<ScheduleNotFoundException>();

        var all = await h.Scheduler.PreviewAsync(WeekStart, WeekStart.AddDays(1));
        all.Single(p => p.ScheduleId == "bad-cron").Problem.Should().Contain("minute");
        all.Single(p => p.ScheduleId == "bad-zone").Problem.Should().Contain("Mars/Olympus");
        var busy = all.Single(p => p.ScheduleId == "every-second");
        (busy.Occurrences.Count, busy.OccurrencesTruncated).Should().Be((1000, true));
        busy.Occurrences[0].ScheduledFor.Should().Be(new DateTimeOffset(2025, 3, 3, 0, 0, 1, TimeSpan.Zero), "the range starts at .25 s: the first whole second after it");
    }

    private static void ExpectOutcome(VmPreview vm, VmOutcome? outcome, string executionId)
    {
        var because = $"{vm.VmName} in {executionId}: the preview said {vm.Status}";
        switch (vm.Status)
        {
            case VmPreviewStatus.Selected:
                outcome!.Kind.Should().Be(VmOutcomeKind.JobCompleted, because);
                break;
            case VmPreviewStatus.NotAMember:
                outcome.Should().BeNull(because);
                break;
            case VmPreviewStatus.NotATarget:
                (outcome!.Kind, outcome.Reason).Should().Be((VmOutcomeKind.CreateFailed, vm.Reason), because);
                break;
            default:
                var reason = vm.Status switch
                {
                    VmPreviewStatus.VmDisabled => SkipReason.VmDisabled,
                    VmPreviewStatus.VmInFailover => SkipReason.VmInFailover,
                    VmPreviewStatus.ScheduleDisabled => SkipReason.ScheduleDisabled,
                    _ => SkipReason.CheckFailed,
                };
                (outcome!.Kind, outcome.SkipReason, outcome.Reason).Should().Be((VmOutcomeKind.Skipped, reason, vm.Reason), because);
                break;
        }
    }

    /// <summary>Completes when a state observed on the fakes holds (checked a few times per real millisecond; the clock does the driving).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
