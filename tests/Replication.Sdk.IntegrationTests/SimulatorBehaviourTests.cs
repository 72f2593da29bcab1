using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

public sealed class SimulatorBehaviourTests
{
    [Fact]
    public async Task JobLifecycle_FollowsTheClockThroughRealStatusNames_AndUpdatesTheContext()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 19, 16, 0, 0, TimeSpan.Zero));
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3, JobDuration = TimeSpan.FromMinutes(10), TimeProvider = clock });
        await using var services = Stack.Build(sim);
        var oma = services.GetRequiredService<IOmaClient>();

        var created = await services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm002", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
        var statuses = new List<string>();
        foreach (var minutes in new[] { 1, 6, 9, 11 }) // 10%, 60%, 90%, done: the OMA has no transfer sub-phases
        {
            clock.SetUtcNow(new DateTimeOffset(2025, 9, 19, 16, minutes, 0, TimeSpan.Zero));
            statuses.Add((await oma.GetReplicationJobAsync(created.JobId!)).Status.Value);
        }

        statuses.Should().Equal("replicating", "replicating", "replicating", "completed");
        var context = (await oma.GetVmContextAsync("vm002")).Context;
        context.CurrentJobId.Should().BeNull();
        context.CurrentStatus.Should().Be("ready_for_failover");
        context.LastSuccessfulJobId.Should().Be(created.JobId);
    }

    [Fact]
    public async Task FailedCreate_LeavesCurrentJobIdSet_AndTheNextSubmitIsBlockedByTheStaleJob()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3 });
        await using var services = Stack.Build(sim);
        var oma = services.GetRequiredService<IOmaClient>();
        var vm = sim.Inventory.All.Single(v => v.Name == "vm001");
        // A raw request the SDK's preconditions would refuse: sent by hand, as another client might.
        using var http = new HttpClient { BaseAddress = sim.OmaBaseAddress };
        var raw = await http.PostAsync(new Uri("api/v1/replications", UriKind.Relative), new StringContent(
            $$"""{"source_vm":{"id":"{{vm.Id}}","name":"vm001","path":"{{vm.Path}}","disks":[]},"ossea_config_id":7,"vcenter_host":"vcenter.example.local","datacenter":"DC1"}""",
            System.Text.Encoding.UTF8, "application/json"));
        var result = await services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });

        ((int)raw.StatusCode).Should().Be(500);
        (await oma.GetVmContextAsync("vm001")).Context.CurrentJobId.Should().NotBeNull("the OMA does not roll back a failed create");
        result.Status.Should().Be(SubmissionStatus.ActiveJobExists, "the job row is 'initializing' and was updated just now");
    }

    [Fact]
    public async Task VmaDown_IsATransientFailure_AndLatencyIsDelayOnly()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3 });
        sim.Faults.Add(new FaultRule { Endpoint = "VMA *", Kind = FaultKind.Down, Times = 0 });
        await using var services = Stack.Build(sim, settings: new Dictionary<string, string?> { ["Replication:Vma:MaxRetryAttempts"] = "1" });

        var result = await services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue();
        result.Error.Should().BeOfType<ReplicationTransportException>();
        sim.Journal.For("POST", "/api/v1/discover").Should().HaveCount(2).And.OnlyContain(e => e.Status == 0);
        sim.Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task Timestamps_CarryNineFractionDigits_AndParseToTheTick()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 19, 16, 0, 0, TimeSpan.Zero).AddTicks(1234567));
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock });
        using var http = new HttpClient { BaseAddress = sim.VmaBaseAddress };
        await using var services = Stack.Build(sim);

        var raw = await http.GetStringAsync(new Uri("api/v1/health", UriKind.Relative));
        var health = await services.GetRequiredService<Vma.IVmaClient>().GetHealthAsync();

        raw.Should().MatchRegex("\"timestamp\":\"2025-09-19T16:00:00\\.1234567\\d{1,2}Z\"");
        health.Timestamp.Should().Be(clock.GetUtcNow(), "digits beyond the 100 ns tick are truncated");
    }

    [Fact]
    public async Task Inventory_IsDeterministicUnderASeed()
    {
        await using var a = await ApplianceSimulator.StartAsync(new SimulatorOptions { Seed = 5, VmCount = 20, RdmDiskRate = 0.2 });
        await using var b = await ApplianceSimulator.StartAsync(new SimulatorOptions { Seed = 5, VmCount = 20, RdmDiskRate = 0.2 });

        a.Inventory.All.Should().BeEquivalentTo(b.Inventory.All, o => o.WithStrictOrdering());
        a.Inventory.All.Should().Contain(v => v.Disks.Any(d => d.IsRdm));
    }
}
