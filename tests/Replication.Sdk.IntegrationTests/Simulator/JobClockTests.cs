using System.Net.Http;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

// Issue 19's poll cost: the simulated OMA now moves only the jobs whose next step is due at a read. Every step must still
// show at its instant, a released stall move at once, an option changed mid-job apply at the next read, and a VM's older
// jobs stay apart from its newest among many others.
public sealed class JobClockTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Steps_ShowJustAfterTheirInstant_WithSubSecondClockSteps()
    {
        await using var on = await OnTheClockAsync(1, TimeSpan.FromSeconds(1));
        var (clock, sim, http) = (on.Clock, on.Sim, on.Http);
        var id = await CreateAsync(http, sim.Inventory.All[0]);

        var seen = new List<(int Ms, string Status, double Progress)>();
        foreach (var ms in new[] { 49, 51, 99, 101, 549, 551, 949, 951, 999, 1000 })
        {
            clock.SetUtcNow(Start + TimeSpan.FromMilliseconds(ms));
            var job = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
            seen.Add((ms, job.GetProperty("status").GetString()!, job.GetProperty("progress_percent").GetDouble()));
        }

        seen.Should().Equal(
            (49, "replicating", 0), (51, "replicating", 5), (99, "replicating", 5), (101, "replicating", 10), (549, "replicating", 50),
            (551, "replicating", 55), (949, "replicating", 90), (951, "replicating", 95), (999, "replicating", 95), (1000, "completed", 100));
    }

    [Fact]
    public async Task StalledJob_StaysPut_ThenMovesAtTheFirstReadAfterItsRelease()
    {
        await using var on = await OnTheClockAsync(1, TimeSpan.FromSeconds(100));
        var (clock, sim, http) = (on.Clock, on.Sim, on.Http);
        var vm = sim.Inventory.All[0];
        var id = await CreateAsync(http, vm);
        sim.Options.StalledVms.Add(vm.Name);

        clock.Advance(TimeSpan.FromSeconds(31));
        var stalled = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        sim.Options.StalledVms.Remove(vm.Name);
        var released = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");

        stalled.GetProperty("progress_percent").GetDouble().Should().Be(0);
        released.GetProperty("progress_percent").GetDouble().Should().Be(30, "the transfer clock ran on; only the row was held");
    }

    [Fact]
    public async Task JobDuration_ChangedMidJob_AppliesAtTheNextRead()
    {
        await using var on = await OnTheClockAsync(1, TimeSpan.FromSeconds(100));
        var (clock, sim, http) = (on.Clock, on.Sim, on.Http);
        var id = await CreateAsync(http, sim.Inventory.All[0]);

        clock.Advance(TimeSpan.FromSeconds(11));
        var before = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        sim.Options.JobDuration = TimeSpan.FromSeconds(20);
        var shortened = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        clock.Advance(TimeSpan.FromSeconds(9));
        var done = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");

        before.GetProperty("progress_percent").GetDouble().Should().Be(10);
        shortened.GetProperty("progress_percent").GetDouble().Should().Be(55, "11 s of 20 s");
        done.GetProperty("status").GetString().Should().Be("completed");
    }

    [Fact]
    public async Task ManyJobs_EachVmsNewestJobAloneCarriesDisks_AndFinishedJobsStayFinished()
    {
        await using var on = await OnTheClockAsync(40, TimeSpan.FromSeconds(10));
        var (clock, sim, http) = (on.Clock, on.Sim, on.Http);
        var vm = sim.Inventory.All[0];
        var first = await CreateAsync(http, vm);
        foreach (var other in sim.Inventory.All.Skip(1))
        {
            await CreateAsync(http, other);
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        var second = await CreateAsync(http, vm);
        clock.Advance(TimeSpan.FromSeconds(3));
        var older = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{first}");
        var newer = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{second}");

        older.GetProperty("status").GetString().Should().Be("completed");
        older.GetProperty("disks").GetArrayLength().Should().Be(0, "disk rows are only for the VM's newest job");
        newer.GetProperty("status").GetString().Should().Be("replicating");
        newer.GetProperty("progress_percent").GetDouble().Should().Be(30);
        newer.GetProperty("disks").GetArrayLength().Should().Be(vm.Disks.Count);
        sim.Jobs.Should().HaveCount(41).And.ContainSingle(j => j.Status == "replicating");
    }

    private static async Task<Simulated> OnTheClockAsync(int vms, TimeSpan jobDuration)
    {
        var clock = new FakeTimeProvider(Start);
        var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = vms, TimeProvider = clock, JobDuration = jobDuration });
        return new Simulated(clock, sim, new RawHttp(sim.OmaBaseAddress));
    }

    private static async Task<string> CreateAsync(RawHttp http, SimulatedVm vm) =>
        (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vm), expectedStatus: 201)).GetProperty("job_id").GetString()!;

    private sealed record Simulated(FakeTimeProvider Clock, ApplianceSimulator Sim, RawHttp Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Sim.DisposeAsync();
        }
    }
}
