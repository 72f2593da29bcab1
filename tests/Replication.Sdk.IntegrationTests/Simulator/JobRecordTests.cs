using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Points 3 and 6 of issue 20: job status records as the OMA stores them, and deleting jobs.</summary>
public sealed class JobRecordTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task JobStatus_RealNamesStepsAndTimes_ThenCompletedWithChangeIds()
    {
        var clock = new FakeTimeProvider(Start.AddTicks(1234567));
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(100) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];
        var id = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vm), expectedStatus: 201)).GetProperty("job_id").GetString();

        var initial = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        clock.Advance(TimeSpan.FromSeconds(7));   // 7 %: the 5 % step, stamped when it was reached
        var step = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        clock.Advance(TimeSpan.FromSeconds(2));   // 9 %: no new step, no new updated_at
        var same = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");
        clock.Advance(TimeSpan.FromSeconds(100));
        var done = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");

        initial.GetProperty("status").GetString().Should().Be("replicating");
        initial.GetProperty("created_at").GetString().Should().Be("2025-09-19T17:00:00.123+01:00", "a DATETIME(3) column in the OMA's offset");
        initial.TryGetProperty("started_at", out _).Should().BeFalse();
        initial.TryGetProperty("completed_at", out _).Should().BeFalse();
        initial.GetProperty("source_vm").GetProperty("path").GetString().Should().Be(vm.Path);
        initial.GetProperty("source_vm").GetProperty("datacenter").GetString().Should().Be("DC1");
        initial.GetProperty("configuration").GetRawText().Should().Be("""{"replication_type":"initial","target_network":"it-net","ossea_config_id":7}""");
        step.GetProperty("progress_percent").GetDouble().Should().Be(5);
        step.GetProperty("updated_at").GetString().Should().Be("2025-09-19T17:00:05.123+01:00");
        same.GetProperty("updated_at").GetString().Should().Be(step.GetProperty("updated_at").GetString());
        same.GetProperty("progress_percent").GetDouble().Should().Be(5);
        done.GetProperty("status").GetString().Should().Be("completed");
        done.GetProperty("progress_percent").GetDouble().Should().Be(100);
        done.GetProperty("completed_at").GetString().Should().Be("2025-09-19T17:01:40.123+01:00");
        done.GetProperty("disks").EnumerateArray().Should().HaveCount(vm.Disks.Count).And.OnlyContain(d => d.GetProperty("change_id").GetString()!.Length > 0);
        done.GetProperty("cbt_history").EnumerateArray().Should().HaveCount(vm.Disks.Count);
        done.GetProperty("mounts").EnumerateArray().Should().OnlyContain(m => m.GetProperty("mount_point").GetString() == "raw-block-device");
    }

    [Fact]
    public async Task FailedJob_KeepsItsLastProgress()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(100) });
        sim.Options.FailingVms.Add("vm001");
        using var http = new RawHttp(sim.OmaBaseAddress);
        var id = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]), expectedStatus: 201)).GetProperty("job_id").GetString();

        clock.Advance(TimeSpan.FromSeconds(101));
        var failed = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{id}");

        failed.GetProperty("status").GetString().Should().Be("failed");
        failed.GetProperty("progress_percent").GetDouble().Should().Be(95);
        failed.GetProperty("completed_at").GetString().Should().NotBeNull();
    }

    [Fact]
    public async Task Delete_ReplicatingIs409_UnknownIs409_DoneIs200WithBooleanOperations()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(100) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var id = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]), expectedStatus: 201)).GetProperty("job_id").GetString();

        var busy = await http.JsonAsync(HttpMethod.Delete, $"api/v1/replications/{id}", expectedStatus: 409);
        var unknown = await http.JsonAsync(HttpMethod.Delete, "api/v1/replications/job-nope", expectedStatus: 409);
        clock.Advance(TimeSpan.FromSeconds(100));
        var deleted = await http.JsonAsync(HttpMethod.Delete, $"api/v1/replications/{id}");
        var twice = await http.JsonAsync(HttpMethod.Delete, $"api/v1/replications/{id}", expectedStatus: 409);

        busy.GetProperty("error").GetString().Should().Be("Cannot delete job");
        busy.GetProperty("details").GetString().Should().Be("cannot delete job in status: replicating");
        unknown.GetProperty("details").GetString().Should().Be("job not found: replication job not found: job-nope");
        twice.GetProperty("details").GetString().Should().Be($"job not found: replication job not found: {id}");
        deleted.GetProperty("operations").GetRawText().Should().Be("""{"volumes_deleted":true,"database_cleaned":true,"nbd_exports_removed":true}""");
        Guid.TryParse(deleted.GetProperty("deletion_tracking_id").GetString(), out _).Should().BeTrue();
        sim.Jobs.Should().BeEmpty();
    }
}
