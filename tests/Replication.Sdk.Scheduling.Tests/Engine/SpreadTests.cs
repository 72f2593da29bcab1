namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// Deterministic spreading: per-VM start offsets from a stable hash, the <c>H</c> cron token through the engine, and the
/// start-rate limit. On the test clock with sub-second overshoot, so nothing lands on whole seconds.
/// </summary>
public sealed class SpreadTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 1, 59, 58, 300, TimeSpan.Zero);
    private static readonly TimeSpan Overshoot = TimeSpan.FromMilliseconds(370);

    [Fact]
    public async Task Spread_EachVmStartsAtItsOwnOffset_TheSameEveryNight()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(cron: "0 2 * * *", change: s => s with { Spread = TimeSpan.FromMinutes(30) });
        h.Group("g1", maxConcurrentVms: 50);
        var vms = h.Vms("g1", 20);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(2));
        await h.StopAsync();

        runs.Should().OnlyContain(r => r.Status == ExecutionStatus.Completed && r.JobsCompleted == 20);
        var offsets = vms.ToDictionary(v => v.VmName, v => Offsets(h, v.VmName));
        foreach (var (vm, nights) in offsets)
        {
            nights.Should().HaveCount(2, $"{vm} starts once a night");
            nights.Should().OnlyContain(o => o >= TimeSpan.Zero && o < TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1), $"{vm} starts within the spread");
            (nights[1] - nights[0]).Duration().Should().BeLessThan(TimeSpan.FromSeconds(1), $"{vm} starts at the same offset every night (only the clock's sub-second lateness differs)");
        }

        var first = offsets.Values.Select(n => n[0]).ToList();
        (first.Max() - first.Min()).Should().BeGreaterThan(TimeSpan.FromMinutes(15), "20 VMs spread over 30 minutes, not bunched at 02:00");
        first.Count(o => o < TimeSpan.FromMinutes(1)).Should().BeLessThan(5);
    }

    [Fact]
    public void SpreadOffset_DependsOnlyOnTheScheduleAndTheVm_WithinTheSpread()
    {
        var spread = TimeSpan.FromHours(1);
        var a = new ReplicationSchedule { Id = "nightly-a", Name = "a", CronExpression = "0 2 * * *", Spread = spread };
        var b = a with { Id = "nightly-b" };

        var before = Enumerable.Range(0, 50).ToDictionary(i => i, i => SpreadOffset.Of(a, $"ctx-{i}"));
        Enumerable.Range(0, 50).Select(i => SpreadOffset.Of(a, $"ctx-{i}")).Should().Equal(before.Values, "an offset depends on its own VM only");
        Enumerable.Range(0, 50).Count(i => SpreadOffset.Of(b, $"ctx-{i}") == before[i]).Should().BeLessThan(3, "the schedule id seeds the hash");
        before.Values.Should().OnlyContain(o => o >= TimeSpan.Zero && o < spread);
        SpreadOffset.Of(a with { Spread = null }, "ctx-1").Should().Be(TimeSpan.Zero);
        SpreadOffset.Of(a with { Spread = TimeSpan.Zero }, "ctx-1").Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task Spread_PastTheNextOccurrence_VmsNotYetStartedEndNotStarted_NamingTheirStart()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = ["replicating", "completed"];
        var schedule = h.Schedule(cron: "*/10 * * * *", change: s => s with { Spread = TimeSpan.FromMinutes(40) });
        h.Group("g1", maxConcurrentVms: 50);
        var vms = h.Vms("g1", 12);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).MinBy(r => r.ScheduledFor)!;
        await h.StopAsync();

        run.VmOutcomes.Should().HaveCount(12, $"every selected VM has exactly one outcome (run {run.ScheduledFor:O} {run.Status} {run.SkipReason}: {run.Reason}; {run.Error})");
        foreach (var vm in vms)
        {
            var outcome = run.VmOutcomes.Single(o => o.ContextId == vm.ContextId);
            var offset = SpreadOffset.Of(schedule, vm.ContextId);
            if (offset < TimeSpan.FromMinutes(10))
            {
                outcome.Kind.Should().Be(VmOutcomeKind.JobCompleted, $"{vm.VmName} starts {offset} after 02:00, before the next occurrence");
            }
            else
            {
                outcome.Kind.Should().Be(VmOutcomeKind.NotStarted);
                outcome.Reason.Should().Contain("spread start").And.Contain("deadline");
                h.Submitter.Submissions.ContainsKey(vm.VmName).Should().BeFalse("a VM is never submitted after its execution's deadline");
            }
        }

        run.VmOutcomes.Should().Contain(o => o.Kind == VmOutcomeKind.NotStarted, "with 12 VMs over 40 minutes some fall past 10 minutes");
        run.VmOutcomes.Should().Contain(o => o.Kind == VmOutcomeKind.JobCompleted);
    }

    [Fact]
    public async Task Spread_OnAManualTrigger_CountsFromTheTrigger()
    {
        var at = new DateTimeOffset(2025, 3, 7, 13, 17, 42, 650, TimeSpan.Zero);
        await using var h = SchedulerHarness.Create(at);
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = ["replicating", "completed"];
        var schedule = h.Schedule(change: s => s with { Spread = TimeSpan.FromMinutes(5) });
        h.Group("g1", maxConcurrentVms: 50);
        var vms = h.Vms("g1", 6);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var run = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        run.JobsCompleted.Should().Be(6);
        foreach (var vm in vms)
        {
            var started = h.Submitter.Log.Single(l => l.VmName == vm.VmName).At;
            (started - run.StartedAt).Should().BeCloseTo(SpreadOffset.Of(schedule, vm.ContextId), TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Spread_OnTheFallBackDay_OffsetsAreElapsedTimeFromTheOccurrence()
    {
        // 2025-11-02 01:30 happens twice in New York; the schedule fires at the first, and each VM's start is its offset later in elapsed time.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = new DateTimeOffset(2025, 11, 1, 5, 29, 59, 420, TimeSpan.Zero);
        await using var h = SchedulerHarness.Create(start);
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = ["replicating", "completed"];
        var schedule = h.Schedule(cron: "30 1 * * *", zone: "America/New_York", change: s => s with { Spread = TimeSpan.FromHours(2) });
        h.Group("g1", maxConcurrentVms: 50);
        var vms = h.Vms("g1", 8);
        await h.StartAsync();

        var runs = await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(2));
        await h.StopAsync();

        runs.Select(r => TimeZoneInfo.ConvertTime(r.ScheduledFor, zone).TimeOfDay).Should().AllBeEquivalentTo(new TimeSpan(1, 30, 0));
        foreach (var run in runs)
        {
            run.JobsCompleted.Should().Be(8);
            foreach (var vm in vms)
            {
                var started = h.Submitter.Log.Where(l => l.VmName == vm.VmName && l.At >= run.ScheduledFor).Min(l => l.At);
                (started - run.ScheduledFor).Should().BeCloseTo(SpreadOffset.Of(schedule, vm.ContextId), TimeSpan.FromSeconds(1));
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24 * 60 + 1)]
    public async Task Spread_OutOfRange_IsRefusedNamingTheSetting(int minutes)
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Schedule(change: s => s with { Spread = TimeSpan.FromMinutes(minutes) });
        h.Group("g1");
        h.Vms("g1", 1);

        var error = await h.Scheduler.Awaiting(s => s.TriggerAsync("s1", "test", "alice")).Should().ThrowAsync<InvalidScheduleException>();

        error.Which.Message.Should().Contain("Spread must be between 0 and 1 day");
    }

    [Fact]
    public async Task HashedCron_FiresAtTheResolvedTime_AndAnInvalidTokenIsATypedError()
    {
        await using var h = SchedulerHarness.Create(Start.AddHours(-2));
        h.Clock.Overshoot = Overshoot;
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(id: "hashed", cron: "H H(0-5) * * *");
        h.Group("g1", scheduleId: "hashed");
        h.Vms("g1", 1);
        await h.StartAsync();

        var run = (await h.Clock.RunUntilAsync(h.Observer.WaitForAsync(1))).MinBy(r => r.ScheduledFor)!;
        await h.StopAsync();

        var fields = HashedCron.Resolve("H H(0-5) * * *", "hashed").Split(' ');
        run.ScheduledFor.Minute.Should().Be(int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture));
        run.ScheduledFor.Hour.Should().Be(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        run.TriggerKind.Should().Be(TriggerKind.Scheduled);

        await using var bad = SchedulerHarness.Create(Start);
        bad.Schedule(cron: "H(9-3) 2 * * *");
        bad.Group("g1");
        bad.Vms("g1", 1);
        var error = await bad.Scheduler.Awaiting(s => s.TriggerAsync("s1", "test", "alice")).Should().ThrowAsync<ScheduleFormatException>();
        error.Which.Field.Should().Be("minute");
    }

    [Fact]
    public async Task StartRate_NoSecondWhereverItBegins_HoldsMoreStartsThanTheRate()
    {
        await using var h = SchedulerHarness.Create(Start, options: o => o.MaxStartsPerSecond = 4);
        h.Clock.Overshoot = TimeSpan.FromMilliseconds(37);
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(change: s => s with { MaxConcurrentJobs = 100 });
        h.Group("g1", maxConcurrentVms: 100);
        h.Vms("g1", 30);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var run = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        run.JobsCompleted.Should().Be(30);
        var starts = h.Submitter.Log.Select(l => l.At).Order().ToList();
        starts.Should().HaveCount(30);
        var offsets = string.Join(", ", starts.Select(t => (t - starts[0]).TotalMilliseconds));
        for (var k = 0; k + 4 < starts.Count; k++)
        {
            (starts[k + 4] - starts[k]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), $"no second, wherever it begins, holds a fifth start: {offsets}");
        }

        (starts[3] - starts[0]).Should().BeLessThan(TimeSpan.FromMilliseconds(100), $"a burst of the rate starts at once: {offsets}");
    }

    [Fact]
    public async Task StartRate_Unset_StartsEveryVmAtOnce()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.Lifecycle = ["replicating", "completed"];
        h.Schedule(change: s => s with { MaxConcurrentJobs = 100 });
        h.Group("g1", maxConcurrentVms: 100);
        h.Vms("g1", 30);

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        h.Submitter.Log.Select(l => l.At).Distinct().Should().ContainSingle("no limiter, no spread: all 30 start at the trigger");
    }

    private static List<TimeSpan> Offsets(SchedulerHarness h, string vmName) =>
        [.. h.Submitter.Log.Where(l => l.VmName == vmName).Select(l => l.At - new DateTimeOffset(l.At.UtcDateTime.Date.AddHours(2), TimeSpan.Zero)).Order()];
}
