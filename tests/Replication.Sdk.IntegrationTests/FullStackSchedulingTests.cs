using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

/// <summary>The whole stack — scheduler, submitter, builder, clients — over loopback HTTP against the simulator, with faults.</summary>
public sealed class FullStackSchedulingTests
{
    [Fact]
    public async Task FiftyVms_ThreeGroups_WithFaults_EveryVmHasOneOutcomeAndNoVmTwoJobs()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions
        {
            VmCount = 50, Seed = 11, LoginToken = "it-login-token", JobDuration = TimeSpan.FromMilliseconds(400), FallbackNetworkRate = 0.2,
        });
        sim.Options.FailingVms.Add("vm013");
        var original = sim.Inventory.All.ToDictionary(v => v.Name);
        sim.Inventory.Replace("vm010");                                   // replaced under the same name: identity changed
        sim.Inventory.AddRdmDisk("vm020");                                // cannot be replicated
        sim.Faults
            .Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.Error, Status = 503, Times = 3 })           // transient: retried
            .Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.ResetAfterEffect, VmName = "vm005" })   // dropped answer: reconciled
            .Add(new FaultRule { Endpoint = "GET /api/v1/replications/{id}", Kind = FaultKind.MalformedJson, Times = 3 })        // tracking survives
            .Add(new FaultRule { Endpoint = "GET /api/v1/replications/{id}", Kind = FaultKind.ExpireSessions, Times = 1 });      // OMA restart: re-login

        await using var services = Stack.Build(sim, s => s.AddReplicationScheduling().ConfigureScheduler(o =>
        {
            o.InstanceId = "it";
            o.JobPollInterval = TimeSpan.FromMilliseconds(100);
            o.JobPollMaxInterval = TimeSpan.FromMilliseconds(200);
        }));
        var store = services.GetRequiredService<InMemoryScheduleStore>();
        store.Upsert(new ReplicationSchedule { Id = "s", Name = "s", CronExpression = "0 2 * * *", MaxConcurrentJobs = 12, RetryAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(200) });
        var groups = new[] { ("g-a", 5, 0), ("g-b", 4, 1), ("g-c", 3, 2) };
        foreach (var (id, limit, priority) in groups)
        {
            store.Upsert(new MachineGroup { Id = id, Name = id, ScheduleId = "s", MaxConcurrentVms = limit, Priority = priority });
        }

        for (var i = 1; i <= 50; i++)
        {
            var name = $"vm{i:000}";
            store.Upsert(new ScheduledVm { ContextId = $"ctx-{name}", VmName = name, VmwareVmId = original[name].Id, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
            store.Upsert(new GroupMembership { GroupId = groups[i % 3].Item1, VmContextId = $"ctx-{name}", Priority = i, AddedAt = DateTimeOffset.UnixEpoch });
        }

        var scheduler = services.GetRequiredService<IReplicationScheduler>();
        var id2 = await scheduler.TriggerAsync("s", "integration test", "it");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var execution = await scheduler.WaitForExecutionAsync(id2, bound.Token);

        execution.VmOutcomes.Should().HaveCount(50);
        execution.VmOutcomes.Select(o => o.VmName).Should().OnlyHaveUniqueItems();
        sim.Jobs.GroupBy(j => j.VmName).Should().OnlyContain(g => g.Count() == 1, "no VM gets two jobs");
        execution.VmOutcomes.Single(o => o.VmName == "vm010").Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Reason!.Contains("was replaced"));
        execution.VmOutcomes.Single(o => o.VmName == "vm020").Should().Match<VmOutcome>(o => o.Kind == VmOutcomeKind.CreateFailed && o.Reason!.Contains("RDM"));
        execution.VmOutcomes.Single(o => o.VmName == "vm005").Kind.Should().Be(VmOutcomeKind.JobCompleted, "the dropped answer was reconciled and the job adopted");
        execution.VmOutcomes.Single(o => o.VmName == "vm013").Kind.Should().Be(VmOutcomeKind.JobFailed);

        // Counters match the journal.
        var created = sim.Jobs.Where(j => j.RequestBody.Contains(execution.Id, StringComparison.Ordinal)).ToList();
        execution.JobsCreated.Should().Be(created.Count);
        execution.JobsCompleted.Should().Be(created.Count(j => j.Status == "completed"));
        execution.CreatedJobIds.Should().BeEquivalentTo(created.Select(j => j.Id));
        execution.JobsCreated.Should().Be(48);
        execution.JobsFailed.Should().Be(3);
        execution.Status.Should().Be(ExecutionStatus.CompletedWithErrors);
        sim.Journal.For("POST", "/api/v1/discover").Should().ContainSingle("one discovery serves the whole execution");
        sim.Journal.For("POST", "/api/v1/replications").Count(e => e.Status == 503).Should().Be(3);
    }
}
