using System.Net.Http;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 1 of issue 20: the OMA's 15 s write timeout and the create call's setup inside the handler.</summary>
public sealed class WriteTimeoutTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SlowCreate_JobIsVisibleAtOnceThroughTheSetupStatuses_ThenTheSocketClosesWithoutAnAnswer()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, TimeProvider = clock, CreateDuration = TimeSpan.FromSeconds(60) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];

        var create = http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm));
        await Eventually.TrueAsync(() => sim.Jobs.Count == 1, "the job row exists as soon as the workflow starts");
        var statuses = new List<string> { (await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{sim.Jobs[0].Id}")).GetProperty("status").GetString()! };
        foreach (var next in new[] { "analyzing", "provisioning", "attaching", "configuring", "ready_for_sync", "replicating" })
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => sim.Jobs[0].Status == next, $"the setup reaches {next}");
            statuses.Add((await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{sim.Jobs[0].Id}")).GetProperty("status").GetString()!);
        }

        await FluentActions.Awaiting(() => create).Should().ThrowAsync<HttpRequestException>("60 s is past the 15 s write timeout");
        statuses.Should().Equal("initializing", "analyzing", "provisioning", "attaching", "configuring", "ready_for_sync", "replicating");
        sim.Contexts.Single(c => c.VmName == vm.Name).CurrentJobId.Should().Be(sim.Jobs[0].Id, "the work was done, only the answer is lost");
        sim.Journal.For("POST", "/api/v1/replications").Should().ContainSingle().Which.Status.Should().Be(0);
    }

    [Fact]
    public async Task LatencyFault_OnCreate_RunsInsideTheHandler_AfterTheJobExists()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, TimeProvider = clock });
        sim.Faults.Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.Latency, Latency = TimeSpan.FromSeconds(12) });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var create = http.PostAsync("api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]));
        await Eventually.TrueAsync(() => sim.Jobs.Count == 1, "the job exists during the delay");
        var during = sim.Jobs[0].Status;
        for (var i = 0; i < 6; i++)
        {
            var before = sim.Jobs[0].Status;
            clock.Advance(TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(() => sim.Jobs[0].Status != before, "each 2 s step moves the setup on");
        }

        var (status, body) = await create;
        during.Should().Be("initializing");
        status.Should().Be(201, "12 s is within the write timeout");
        body.Should().Contain("\"status\":\"replicating\"");
    }

    [Fact]
    public async Task WriteTimeout_CanBeDisabled_AsAKinderOption()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions
        {
            VmCount = 1, TimeProvider = clock, CreateDuration = TimeSpan.FromSeconds(60), OmaWriteTimeout = Timeout.InfiniteTimeSpan,
        });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var create = http.PostAsync("api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]));
        foreach (var next in new[] { "analyzing", "provisioning", "attaching", "configuring", "ready_for_sync", "replicating" })
        {
            await Eventually.TrueAsync(() => sim.Jobs.Count == 1, "the job exists");
            clock.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => sim.Jobs[0].Status == next, $"the setup reaches {next}");
        }

        (await create).Status.Should().Be(201);
    }
}
