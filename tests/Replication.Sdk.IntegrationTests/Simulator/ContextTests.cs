using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 7 of issue 20: VM contexts as the OMA returns them.</summary>
public sealed class ContextTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public async Task ContextRows_CarryEveryColumn_WholeSecondsInTheOmaOffset_OrderedByNameIgnoringCase()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(10) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vms = sim.Inventory.All;
        await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[2], name: "WEB01"), expectedStatus: 201);
        await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[0]), expectedStatus: 201);
        clock.Advance(TimeSpan.FromSeconds(20));

        var list = await http.JsonAsync(HttpMethod.Get, "api/v1/vm-contexts");

        list.GetProperty("vm_contexts").EnumerateArray().Select(c => c.GetProperty("vm_name").GetString()).Should().Equal(["vm001", "WEB01"], "ordinal order and insertion order would both put WEB01 first");
        var row = list.GetProperty("vm_contexts")[0];
        row.GetProperty("groups").GetArrayLength().Should().Be(0);
        row.GetProperty("group_count").GetInt32().Should().Be(0);
        row.GetProperty("cpu_count").GetInt32().Should().Be(vms[0].NumCpu);
        row.GetProperty("memory_mb").GetInt32().Should().Be(vms[0].MemoryMb);
        row.GetProperty("os_type").GetString().Should().Be(vms[0].GuestOs);
        row.GetProperty("power_state").GetString().Should().Be(vms[0].PowerState);
        row.GetProperty("ossea_config_id").GetInt32().Should().Be(7);
        row.GetProperty("created_at").GetString().Should().Be("2025-09-19T17:00:00+01:00");
        row.GetProperty("first_job_at").GetString().Should().Be("2025-09-19T17:00:00+01:00");
        row.GetProperty("last_job_at").GetString().Should().Be("2025-09-19T17:00:00+01:00");
        row.GetProperty("updated_at").GetString().Should().Be("2025-09-19T17:00:10+01:00", "the job's end moved the row");
        row.GetProperty("last_status_change").GetString().Should().Be("2025-09-19T17:00:10+01:00");
        row.GetProperty("current_status").GetString().Should().Be("ready_for_failover");
        row.GetProperty("successful_jobs").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Detail_NamesMatchIgnoringCase_FullJobRows_NoCurrentJobKeyWhenIdle_NullDisksWithoutJobs()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(10) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vms = sim.Inventory.All;
        var jobId = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[0]), expectedStatus: 201)).GetProperty("job_id").GetString();
        await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[1], ",\"start_replication\":false"), expectedStatus: 201);

        var busy = await http.JsonAsync(HttpMethod.Get, "api/v1/vm-contexts/VM001");
        clock.Advance(TimeSpan.FromSeconds(10));
        var idle = await http.JsonAsync(HttpMethod.Get, "api/v1/vm-contexts/vm001");
        var never = await http.JsonAsync(HttpMethod.Get, "api/v1/vm-contexts/vm002");

        busy.GetProperty("current_job").GetProperty("id").GetString().Should().Be(jobId);
        busy.GetProperty("job_history").EnumerateArray().Should().ContainSingle("VM001 finds vm001's jobs too");
        var row = busy.GetProperty("job_history")[0];
        row.GetProperty("source_vm_path").GetString().Should().Be(vms[0].Path);
        row.GetProperty("vm_context_id").GetString().Should().Be(busy.GetProperty("context").GetProperty("context_id").GetString());
        row.GetProperty("target_network").GetString().Should().Be("it-net");
        idle.TryGetProperty("current_job", out _).Should().BeFalse("the key is omitted when there is none");
        idle.GetProperty("disks").GetArrayLength().Should().Be(vms[0].Disks.Count);
        never.GetProperty("disks").ValueKind.Should().Be(JsonValueKind.Null);
        never.GetProperty("job_history").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task RecentJobs_AreTheUnifiedJobView_AndNullWhenThereAreNone()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(10) });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var jobId = (await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]), expectedStatus: 201)).GetProperty("job_id").GetString();
        clock.Advance(TimeSpan.FromSeconds(10));

        var recent = await http.JsonAsync(HttpMethod.Get, $"api/v1/vm-contexts/{sim.Contexts[0].ContextId}/recent-jobs");
        var unknown = await http.JsonAsync(HttpMethod.Get, "api/v1/vm-contexts/ctx-nope/recent-jobs");

        var item = recent.GetProperty("jobs").EnumerateArray().Should().ContainSingle().Subject;
        item.EnumerateObject().Select(p => p.Name).Should().Equal("job_id", "job_type", "status", "progress", "started_at", "completed_at", "display_name", "data_source", "duration_seconds");
        item.GetProperty("job_id").GetString().Should().Be(jobId);
        item.GetProperty("duration_seconds").GetInt64().Should().Be(10);
        unknown.GetProperty("jobs").ValueKind.Should().Be(JsonValueKind.Null);
        unknown.GetProperty("count").GetInt32().Should().Be(0);
    }
}
