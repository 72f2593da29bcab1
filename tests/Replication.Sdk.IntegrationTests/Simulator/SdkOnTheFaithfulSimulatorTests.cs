using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>The SDK's clients against behaviours issue 20 made faithful, where the SDK's reading of the wire matters.</summary>
public sealed class SdkOnTheFaithfulSimulatorTests
{
    [Fact]
    public async Task ConcurrentCallsAfterAnOmaRestart_LogInOnce_WithTheConstantToken()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, LoginToken = "it-login-token", TimeProvider = clock });
        await using var services = Stack.Build(sim);
        var oma = services.GetRequiredService<IOmaClient>();
        await oma.ListVmContextsAsync();
        sim.RestartOma();
        // The refusals are held on the simulator's clock until all eight callers have been refused, so every one of them
        // holds the refused session before anyone logs in again, however the threads are scheduled.
        var hold = new FaultRule { Endpoint = "GET /api/v1/vm-contexts", Kind = FaultKind.Latency, Latency = TimeSpan.FromSeconds(1), Times = 8 };
        sim.Faults.Add(hold);

        var calls = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => oma.ListVmContextsAsync()));
        await Eventually.TrueAsync(() => sim.Faults.Applied.Any(a => ReferenceEquals(a.Rule, hold) && a.Applied == 8), "all eight callers reach the OMA");
        // Arrived means sent with the refused session; a request may still be on its way to its delay, so the clock moves
        // until every call has ended (the 10-year session does not mind).
        await Eventually.TrueAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                return calls.IsCompleted;
            },
            "the held refusals are released and the callers replay");
        await calls;

        sim.Journal.For("GET", "/api/v1/vm-contexts").Count(e => e.Status == 401).Should().Be(8, "every caller was refused with the same token");
        sim.Journal.For("GET", "/api/v1/vm-contexts").Count(e => e.Status == 200).Should().Be(9, "the first call, then each refused call replayed once");
        sim.Journal.For("POST", "/api/v1/auth/login").Should().HaveCount(2, "one login, then one more for all the callers the restart refused");
    }

    [Fact]
    public async Task SlowCreate_PastTheWriteTimeout_IsReconciledAndAdopted_NotResent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, TimeProvider = clock, CreateDuration = TimeSpan.FromSeconds(30), JobDuration = TimeSpan.FromMinutes(10) });
        await using var services = Stack.Build(sim);

        var submit = services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
        await Eventually.TrueAsync(() => sim.Jobs.Count == 1, "the create call is setting the job up");
        for (var i = 0; i < 6; i++)
        {
            var before = sim.Jobs[0].Status;
            clock.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => sim.Jobs[0].Status != before, "the setup moves on");
        }

        var result = await submit;

        result.Status.Should().Be(SubmissionStatus.JobAdopted, "the OMA did the work and dropped the answer");
        result.JobId.Should().Be(sim.Jobs.Single().Id);
        sim.Journal.For("POST", "/api/v1/replications").Should().ContainSingle().Which.Status.Should().Be(0);
    }

    [Fact]
    public async Task DeleteReplicationJob_ReadsTheBooleanOperations()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(10) });
        await using var services = Stack.Build(sim);
        var created = await services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
        clock.Advance(TimeSpan.FromSeconds(10));

        var deleted = await services.GetRequiredService<IOmaClient>().DeleteReplicationJobAsync(created.JobId!);

        deleted.JobId.Should().Be(created.JobId);
        deleted.Operations.Should().Be(new DeleteOperations { VolumesDeleted = true, DatabaseCleaned = true, NbdExportsRemoved = true });
        Guid.TryParse(deleted.DeletionTrackingId, out _).Should().BeTrue("the tracking id is a UUID");
    }

    [Fact]
    public async Task RecentJobs_ReadTheJobIds()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, JobDuration = TimeSpan.FromMinutes(10) });
        await using var services = Stack.Build(sim);
        var created = await services.GetRequiredService<IReplicationJobSubmitter>().SubmitAsync(new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });

        var recent = await services.GetRequiredService<IOmaClient>().GetRecentJobsAsync(sim.Contexts.Single().ContextId);

        var item = recent.Jobs.Should().ContainSingle().Subject;
        item.JobId.Should().Be(created.JobId);
        item.JobType.Should().Be("replication");
        item.DisplayName.Should().Be("vm001");
        item.StartedAt.Should().NotBeNull();
        item.CompletedAt.Should().BeNull("the job still runs");
        (await services.GetRequiredService<IOmaClient>().GetRecentJobsAsync("ctx-unknown")).Jobs.Should().BeEmpty("the OMA answers jobs: null, read as empty");
    }
}
