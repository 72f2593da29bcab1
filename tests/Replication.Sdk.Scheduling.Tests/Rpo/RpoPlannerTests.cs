using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The pure RPO planner: which VMs are due, in which order, and which start under limits and windows.</summary>
public sealed class RpoPlannerTests
{
    // A Wednesday, half a second off the minute, as a real clock would be.
    private static readonly DateTimeOffset Now = new(2025, 6, 4, 12, 0, 0, 500, TimeSpan.Zero);
    private static readonly RpoSettings Settings = RpoSettings.For(TimeSpan.FromHours(4)) with { Margin = TimeSpan.FromMinutes(10) };
    private static readonly Dictionary<string, int> NoGroupLimits = new(StringComparer.Ordinal);

    private static ReplicationSchedule Schedule(int maxJobs = 10) => new() { Id = "s1", Name = "s1", CronExpression = "", MaxConcurrentJobs = maxJobs };

    private static RpoVm Vm(string id, TimeSpan? age, double predictedMinutes = 30, int order = 0, string group = "g1", bool running = false) =>
        new(id, group, order, age is { } a ? Now - a : null, TimeSpan.FromMinutes(predictedMinutes), running);

    [Theory]
    // age + predicted(30 min) + margin(10 min) against R = 4 h: due from an age of 3 h 20 min.
    [InlineData(199, false)] // 3:19
    [InlineData(200, true)]  // 3:20 exactly: due (≥)
    [InlineData(201, true)]
    [InlineData(600, true)]  // long breached
    public void IsDue_AtTheThreshold(int ageMinutes, bool due)
    {
        var vm = Vm("a", TimeSpan.FromMinutes(ageMinutes));

        RpoPlanner.IsDue(vm, Settings, Now).Should().Be(due);
        RpoPlanner.Headroom(vm, Settings, Now).Should().Be(TimeSpan.FromMinutes(200 - ageMinutes));
    }

    [Fact]
    public void Plan_NoReplica_IsDueFirst_BeforeAnyBreachedVm()
    {
        var plan = RpoPlanner.Plan(Schedule(1), NoGroupLimits, [Vm("breached", TimeSpan.FromHours(9), order: 0), Vm("new", null, order: 5)], Settings, Now);

        plan.Due.Select(d => d.Vm.ContextId).Should().Equal("new", "breached");
        plan.Due[0].Headroom.Should().Be(TimeSpan.MinValue);
        plan.Start.Select(d => d.Vm.ContextId).Should().Equal("new");
    }

    [Fact]
    public void Plan_OrdersLeastHeadroomFirst_ThenPriority()
    {
        // c and b have the same headroom: the selection order (b before c) decides; a has the least headroom.
        var vms = new[] { Vm("c", TimeSpan.FromHours(3.5), order: 2), Vm("b", TimeSpan.FromHours(3.5), order: 1), Vm("a", TimeSpan.FromHours(5), order: 3), Vm("fresh", TimeSpan.FromHours(1), order: 0) };

        var plan = RpoPlanner.Plan(Schedule(), NoGroupLimits, vms, Settings, Now);

        plan.Due.Select(d => d.Vm.ContextId).Should().Equal("a", "b", "c");
        plan.Start.Should().HaveCount(3);
        plan.Closed.Should().BeNull();
    }

    [Fact]
    public void Plan_ScheduleLimitFull_StartsNothing_ButListsDue()
    {
        var vms = new[] { Vm("r1", TimeSpan.FromHours(1), running: true), Vm("r2", TimeSpan.FromHours(1), running: true), Vm("a", TimeSpan.FromHours(5)) };

        var plan = RpoPlanner.Plan(Schedule(2), NoGroupLimits, vms, Settings, Now);

        plan.Due.Select(d => d.Vm.ContextId).Should().Equal("a");
        plan.Start.Should().BeEmpty();
    }

    [Fact]
    public void Plan_RunningVm_IsNeverDue_EvenIfBreached()
    {
        var plan = RpoPlanner.Plan(Schedule(), NoGroupLimits, [Vm("r", TimeSpan.FromHours(9), running: true)], Settings, Now);

        plan.Due.Should().BeEmpty();
    }

    [Fact]
    public void Plan_GroupLimitFull_SkipsToTheNextGroup_AndHoldsTheScheduleLimit()
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal) { ["g1"] = 1, ["g2"] = 5 };
        var vms = new[]
        {
            Vm("g1-running", TimeSpan.FromHours(1), group: "g1", running: true),
            Vm("g1-a", TimeSpan.FromHours(6), group: "g1"),
            Vm("g2-a", TimeSpan.FromHours(5), group: "g2"),
            Vm("g2-b", TimeSpan.FromHours(4), group: "g2"),
            Vm("g2-c", TimeSpan.FromHours(3.9), group: "g2"),
        };

        var plan = RpoPlanner.Plan(Schedule(3), limits, vms, Settings, Now);

        // One slot of three is taken: two start, both from g2 (g1 is at its limit).
        plan.Start.Select(d => d.Vm.ContextId).Should().Equal("g2-a", "g2-b");
        plan.Due.Select(d => d.Vm.ContextId).Should().Equal("g1-a", "g2-a", "g2-b", "g2-c");
    }

    [Fact]
    public void Plan_GlobalLimit_CapsStarts()
    {
        var vms = Enumerable.Range(0, 5).Select(i => Vm($"v{i}", TimeSpan.FromHours(5 + i), order: i)).ToList();

        RpoPlanner.Plan(Schedule(10), NoGroupLimits, vms, Settings, Now, globalFree: 2).Start.Select(d => d.Vm.ContextId).Should().Equal("v4", "v3");
        RpoPlanner.Plan(Schedule(10), NoGroupLimits, vms, Settings, Now, globalFree: 0).Start.Should().BeEmpty();
    }

    [Fact]
    public void Plan_WindowClosed_StartsNothing_WithTheReason()
    {
        var schedule = Schedule() with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00") };

        var plan = RpoPlanner.Plan(schedule, NoGroupLimits, [Vm("a", TimeSpan.FromHours(5))], Settings, Now);

        plan.Start.Should().BeEmpty();
        plan.Due.Should().HaveCount(1);
        plan.Closed.Should().Contain("outside the replication window");
    }

    [Fact]
    public void Plan_WindowClosed_WithDefer_StillStartsNothing()
    {
        var schedule = Schedule() with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00"), OutsideWindowPolicy = OutsideWindowPolicy.Defer };

        RpoPlanner.Plan(schedule, NoGroupLimits, [Vm("a", TimeSpan.FromHours(5))], Settings, Now).Start.Should().BeEmpty();
    }

    [Fact]
    public void Plan_WindowOpen_Starts()
    {
        var schedule = Schedule() with { Window = ReplicationWindow.Parse("Mon-Sun 11:00-13:00") };

        RpoPlanner.Plan(schedule, NoGroupLimits, [Vm("a", TimeSpan.FromHours(5))], Settings, Now).Start.Should().HaveCount(1);
    }

    [Fact]
    public void Plan_InsideBlackout_StartsNothing()
    {
        var schedule = Schedule() with { Blackouts = [new BlackoutPeriod(Now.AddHours(-1), Now.AddHours(1), "storage upgrade")] };

        var plan = RpoPlanner.Plan(schedule, NoGroupLimits, [Vm("a", TimeSpan.FromHours(5))], Settings, Now);

        plan.Start.Should().BeEmpty();
        plan.Closed.Should().Contain("storage upgrade");
    }

    [Fact]
    public void Plan_TargetShorterThanDuration_AlwaysDue_AndFlaggedUnattainable()
    {
        // A 5-hour job against a 4-hour target: due straight after its own completion.
        var vm = Vm("slow", TimeSpan.Zero, predictedMinutes: 300);

        RpoPlanner.IsDue(vm, Settings, Now).Should().BeTrue();
        vm.Unattainable(Settings).Should().BeTrue();
        Vm("ok", TimeSpan.Zero, predictedMinutes: 240).Unattainable(Settings).Should().BeFalse();
    }

    [Fact]
    public void Plan_IsDeterministic_WhateverTheInputOrder()
    {
        var vms = Enumerable.Range(0, 50).Select(i => Vm($"v{i:D2}", TimeSpan.FromMinutes(180 + (i % 7 * 10)), order: i % 5)).ToList();
        var reversed = Enumerable.Reverse(vms).ToList();

        var a = RpoPlanner.Plan(Schedule(7), NoGroupLimits, vms, Settings, Now);
        var b = RpoPlanner.Plan(Schedule(7), NoGroupLimits, reversed, Settings, Now);

        b.Start.Select(s => s.Vm.ContextId).Should().Equal(a.Start.Select(s => s.Vm.ContextId));
        b.Due.Select(s => s.Vm.ContextId).Should().Equal(a.Due.Select(s => s.Vm.ContextId));
    }

    [Fact]
    public void TickAtOrAfter_RoundsUpToTheInterval_SinceTheEpoch()
    {
        Settings.TickAtOrAfter(Now).Should().Be(new DateTimeOffset(2025, 6, 4, 12, 0, 30, TimeSpan.Zero));
        Settings.TickAtOrAfter(new DateTimeOffset(2025, 6, 4, 12, 0, 30, TimeSpan.Zero)).Should().Be(new DateTimeOffset(2025, 6, 4, 12, 0, 30, TimeSpan.Zero));
    }

    [Theory]
    // Window 06:00-13:00 UTC, closed until 06:00 tomorrow; now 12:52:00.5, margin 10 min, job 30 min, R = 4 h.
    [InlineData(60, true)]   // due by age only at 15:12, inside the closure: brought forward to 12:50
    [InlineData(20, false)]  // completed 12:32, within predicted + margin of 12:50: a job now would not help
    [InlineData(199, true)]  // due by age anyway
    public void Plan_BeforeAClosure_StartsTheVmsThatWouldBecomeDueWhileClosed(int ageMinutes, bool due)
    {
        var at = Now.AddMinutes(52);
        var schedule = Schedule() with { Window = ReplicationWindow.Parse("Mon-Sun 06:00-13:00") };
        var vm = new RpoVm("a", "g1", 0, at.AddMinutes(-ageMinutes), TimeSpan.FromMinutes(30));

        var plan = RpoPlanner.Plan(schedule, NoGroupLimits, [vm], Settings, at);

        plan.Start.Should().HaveCount(due ? 1 : 0);
        RpoPlanner.Plan(schedule, NoGroupLimits, [vm], Settings, at.AddMinutes(-3)).Start.Should().BeEmpty("before 12:50 only age decides, and none is due by age yet");
    }

    [Fact]
    public void Plan_BeforeAShortClosure_DoesNotBringForward_WhenDueAfterItReopens()
    {
        // Closed 13:00-14:00 only: a VM due by age at 15:12 waits.
        var at = Now.AddMinutes(52);
        var schedule = Schedule() with { Window = ReplicationWindow.Parse("Mon-Sun 00:00-13:00, 14:00-24:00") };

        RpoPlanner.Plan(schedule, NoGroupLimits, [new RpoVm("a", "g1", 0, at.AddMinutes(-60), TimeSpan.FromMinutes(30))], Settings, at).Due.Should().BeEmpty();
    }
}
