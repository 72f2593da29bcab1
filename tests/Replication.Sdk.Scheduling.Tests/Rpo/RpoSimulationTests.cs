namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The planner on a simulated clock: feasible, infeasible and window-limited schedules, and the jumps against a visit of every planning instant.</summary>
public sealed class RpoSimulationTests
{
    private static readonly DateTimeOffset From = new(2025, 6, 4, 0, 0, 10, 250, TimeSpan.Zero);
    private static readonly RpoSettings Settings = RpoSettings.For(TimeSpan.FromHours(4)) with { Margin = TimeSpan.FromMinutes(10) };
    private static readonly Dictionary<string, int> NoGroupLimits = new(StringComparer.Ordinal);

    private static ReplicationSchedule Schedule(int maxJobs) => new() { Id = "s1", Name = "s1", CronExpression = "", MaxConcurrentJobs = maxJobs };

    private static RpoVm Vm(int i, TimeSpan? age, TimeSpan predicted) => new($"vm{i}", "g1", i, age is { } a ? From - a : null, predicted);

    [Fact]
    public void Feasible_StaggeredVms_StayWithinTarget_AllDay()
    {
        // Four 30-minute jobs every 4 hours on one slot: half the capacity, and the ages are staggered an hour apart.
        var vms = Enumerable.Range(0, 4).Select(i => Vm(i, TimeSpan.FromHours(i), TimeSpan.FromMinutes(30))).ToList();

        var result = RpoSimulation.Run(Schedule(1), NoGroupLimits, vms, Settings, From, TimeSpan.FromDays(1));

        // Due at R − 30 min − 10 min = 3 h 20 min, started by the next 30 s tick, done 30 min later.
        result.Should().AllSatisfy(r =>
        {
            r.WorstAge.Should().BeGreaterThan(TimeSpan.FromMinutes(230)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(230.5));
            r.CompliancePercent.Should().Be(100);
            r.Jobs.Should().BeInRange(6, 8);
        });
    }

    [Fact]
    public void Infeasible_TooManyVmsForTheConcurrency_BreachesAndSaysSo()
    {
        // Ten 1-hour jobs on two slots: each VM at best every 5 hours, against a 4-hour target.
        var vms = Enumerable.Range(0, 10).Select(i => Vm(i, TimeSpan.FromMinutes(20 * i), TimeSpan.FromHours(1))).ToList();

        var result = RpoSimulation.Run(Schedule(2), NoGroupLimits, vms, Settings, From, TimeSpan.FromDays(7));

        result.Should().OnlyContain(r => r.WorstAge > TimeSpan.FromHours(4.5));
        result.Average(r => r.CompliancePercent).Should().BeLessThan(95);

        // Never more than two at once: 7 days × 24 h × 2 slots / 1 h = at most 336 jobs.
        result.Sum(r => r.Jobs).Should().BeInRange(320, 336);
    }

    [Fact]
    public void Infeasible_ForTheSameVms_BecomesFeasible_WithEnoughSlots()
    {
        var vms = Enumerable.Range(0, 10).Select(i => Vm(i, TimeSpan.FromMinutes(15 * i), TimeSpan.FromHours(1))).ToList();

        var result = RpoSimulation.Run(Schedule(4), NoGroupLimits, vms, Settings, From, TimeSpan.FromDays(7));

        result.Should().OnlyContain(r => r.WorstAge <= TimeSpan.FromHours(4));
    }

    [Fact]
    public void WindowLimited_NoStartsOutsideTheWindow_TheAgeGrowsThroughTheDay()
    {
        // Open 22:00-06:00 UTC only: after the last job of the night the next starts at 22:00, about 16 hours later.
        var schedule = Schedule(1) with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00") };

        var result = RpoSimulation.Run(schedule, NoGroupLimits, [Vm(0, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30))], Settings, From, TimeSpan.FromDays(3)).Single();

        result.WorstAge.Should().BeGreaterThan(TimeSpan.FromHours(16)).And.BeLessThan(TimeSpan.FromHours(17));
        result.CompliancePercent.Should().BeLessThan(60);
    }

    [Fact]
    public void WindowLimited_WithinATargetLongerThanTheClosedHours_IsMet()
    {
        var schedule = Schedule(1) with { Window = ReplicationWindow.Parse("Mon-Sun 22:00-06:00") };

        var result = RpoSimulation.Run(schedule, NoGroupLimits, [Vm(0, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30))], Settings with { Target = TimeSpan.FromHours(18) }, From, TimeSpan.FromDays(3)).Single();

        result.WorstAge.Should().BeLessThanOrEqualTo(TimeSpan.FromHours(18));
        result.CompliancePercent.Should().Be(100);
    }

    [Fact]
    public void JobLongerThanTarget_RunsBackToBack_AndNeverMeetsIt()
    {
        var result = RpoSimulation.Run(Schedule(1), NoGroupLimits, [Vm(0, TimeSpan.Zero, TimeSpan.FromHours(5))], Settings, From, TimeSpan.FromDays(1)).Single();

        result.WorstAge.Should().BeGreaterThanOrEqualTo(TimeSpan.FromHours(5));
        result.Jobs.Should().Be(5); // 0, 5, 10, 15, 20 h (each start on the next tick)
    }

    [Fact]
    public void NoReplica_CountsAsOutside_UntilTheFirstCompletes()
    {
        var result = RpoSimulation.Run(Schedule(1), NoGroupLimits, [Vm(0, null, TimeSpan.FromHours(2))], Settings, From, TimeSpan.FromDays(1)).Single();

        var firstTick = Settings.TickAtOrAfter(From);
        result.FirstReplica.Should().Be(firstTick + TimeSpan.FromHours(2));
        result.Outside.Should().Be(firstTick + TimeSpan.FromHours(2) - From);
        result.WorstAge.Should().BeLessThanOrEqualTo(TimeSpan.FromHours(4));
    }

    [Fact]
    public void RunningVm_HoldsItsSlot_UntilItsPredictedEnd()
    {
        var running = Vm(0, TimeSpan.FromHours(3), TimeSpan.FromHours(2)) with { Running = true };
        var waiting = Vm(1, TimeSpan.FromHours(5), TimeSpan.FromMinutes(10));

        var result = RpoSimulation.Run(Schedule(1), NoGroupLimits, [running, waiting], Settings, From, TimeSpan.FromHours(3));

        // The breached VM waits for the running job's end (2 h) and the next tick, then takes 10 minutes.
        result[1].FirstReplica.Should().BeNull();
        result[1].WorstAge.Should().BeCloseTo(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(31));
        result[0].WorstAge.Should().Be(TimeSpan.FromHours(5));
    }

    [Theory]
    [InlineData(1, 4, 30)]
    [InlineData(2, 10, 60)]
    [InlineData(3, 25, 45)]
    public void Jumps_GiveTheSameCourse_AsEveryPlanningInstant(int slots, int count, int minutes)
    {
        var schedule = Schedule(slots) with { Window = ReplicationWindow.Parse("Mon-Fri 20:00-08:00; Sat-Sun 00:00-24:00"), TimeZone = "Europe/Berlin" };
        var vms = Enumerable.Range(0, count).Select(i => Vm(i, i % 3 == 0 ? null : TimeSpan.FromMinutes(17 * i), TimeSpan.FromMinutes(minutes + (i % 4 * 7)))).ToList();

        var jumped = RpoSimulation.Run(schedule, NoGroupLimits, vms, Settings, From, TimeSpan.FromDays(3));
        var stepped = RpoSimulation.Run(schedule, NoGroupLimits, vms, Settings, From, TimeSpan.FromDays(3), everyTick: true);

        jumped.Should().BeEquivalentTo(stepped, o => o.WithStrictOrdering());
    }
}
