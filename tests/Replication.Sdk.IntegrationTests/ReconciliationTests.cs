using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

/// <summary>Reconciling a lost create answer against the simulator, whose jobs end (and leave the VM context) on their own.</summary>
public sealed class ReconciliationTests : IAsyncLifetime
{
    private ApplianceSimulator _sim = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        // A job ends a millisecond after it is created: before the submitter's first poll, the OMA has unlinked it.
        _sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, JobDuration = TimeSpan.FromMilliseconds(1) });
        _services = Stack.Build(_sim);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task DroppedCreateResponse_JobAlreadyFinished_IsAdoptedNotReportedNotCreated()
    {
        _sim.Faults.Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.ResetAfterEffect, VmName = "vm002" });
        var submitter = _services.GetRequiredService<IReplicationJobSubmitter>();

        var result = await submitter.SubmitAsync(new ReplicationTarget { VmName = "vm002", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });

        var job = _sim.Jobs.Where(j => j.VmName == "vm002").Should().ContainSingle().Which;
        job.Status.Should().Be("completed");
        _sim.Contexts.Single(c => c.VmName == "vm002").CurrentJobId.Should().BeNull("the OMA unlinks a job that ended");
        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be(job.Id);
        _sim.Journal.For("POST", "/api/v1/replications").Should().ContainSingle();
    }
}
