using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 4 of issue 20 and the faults of its "Also" list: the create race, the 409 match, stale and vanished jobs.</summary>
public sealed class CreateConflictTests
{
    [Fact]
    public async Task CreateRace_TwoConcurrentCreatesForOneVm_BothPassThe409Check_TwoJobs()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, JobDuration = TimeSpan.FromMinutes(10) });
        sim.Faults.Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.CreateRace, Times = 2 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];

        var answers = await Task.WhenAll(http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm)), http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm)));
        var third = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm));

        answers.Should().OnlyContain(a => a.Status == 201);
        sim.Jobs.Where(j => j.VmName == vm.Name).Should().HaveCount(2, "nothing locks the window between the check and the insert");
        third.Status.Should().Be(409, "once a job exists, the check sees current_job_id");
    }

    [Fact]
    public async Task WithoutTheRaceFault_TheSecondCreateIs409_AndTheVmwareIdMatchIgnoresCase()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, JobDuration = TimeSpan.FromMinutes(10) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];

        var first = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm));
        var (status, body) = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm, vmwareId: vm.Id.ToUpperInvariant()));

        first.Status.Should().Be(201);
        status.Should().Be(409);
        var error = JsonDocument.Parse(body).RootElement;
        error.GetProperty("error").GetString().Should().Be("VM has active replication job");
        error.GetProperty("details").GetString().Should().EndWith($"already has active job: {sim.Jobs[0].Id}");
    }

    [Fact]
    public async Task WorkflowFailure_Is500AfterTheJobRow_AndLeavesAStaleCurrentJobIdThatBlocksTheVm()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2 });
        sim.Faults.Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.WorkflowFailure });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];

        var failed = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm));
        var next = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(vm));

        failed.Status.Should().Be(500);
        failed.Body.Should().Contain("\"error\":\"Failed to start migration workflow\"");
        var job = sim.Jobs.Should().ContainSingle().Subject;
        job.Status.Should().Be("provisioning", "the job is neither rolled back nor marked failed");
        sim.Contexts.Single().CurrentJobId.Should().Be(job.Id);
        next.Status.Should().Be(409);
        next.Body.Should().Contain(job.Id);
    }

    [Fact]
    public async Task VanishedJob_Is404OnItsRoute_WhileTheContextStillPointsAtIt_AndTheSdkReportsTheVmBlocked()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, JobDuration = TimeSpan.FromMinutes(10) });
        await using var services = Stack.Build(sim);
        using var http = new RawHttp(sim.OmaBaseAddress);
        var submitter = services.GetRequiredService<IReplicationJobSubmitter>();
        var target = new ReplicationTarget { VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1" };
        var created = await submitter.SubmitAsync(target);

        sim.VanishJob(created.JobId!).Should().BeTrue();
        var (status, body) = await http.GetAsync($"api/v1/replications/{created.JobId}");
        var again = await submitter.SubmitAsync(target);

        status.Should().Be(404);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetString().Should().Be("Job not found");
        sim.Contexts.Single(c => c.VmName == "vm001").CurrentJobId.Should().Be(created.JobId);
        again.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        again.JobId.Should().Be(created.JobId);
    }

    [Fact]
    public async Task Injected404_OnAJobRoute_IsTheJobHandlersOwnAnswer()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, JobDuration = TimeSpan.FromMinutes(10) });
        sim.Faults.Add(new FaultRule { Endpoint = "GET /api/v1/replications/{id}", Kind = FaultKind.Error, Status = 404 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var id = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]), expectedStatus: 201)).GetProperty("job_id").GetString();

        var gone = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}", expectedStatus: 404);
        var back = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");

        gone.GetProperty("error").GetString().Should().Be("Job not found");
        gone.GetProperty("details").GetString().Should().Be($"Migration job with ID {id} does not exist");
        gone.GetProperty("timestamp").GetString().Should().EndWith("+01:00");
        back.GetProperty("job_id").GetString().Should().Be(id, "the fault hit once");
    }
}
