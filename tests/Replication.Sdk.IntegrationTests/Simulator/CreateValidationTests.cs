using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Points 5 and 8 of issue 20: what the real create call checks, decodes and answers.</summary>
public sealed class CreateValidationTests
{
    [Theory]
    [InlineData(",\"replication_type\":\"initial\"")]
    [InlineData("")]
    public async Task UnknownOsseaConfig_ForAnInitialReplication_Is400_AndNoJob(string type)
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var error = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0], type).Replace("\"ossea_config_id\":7", "\"ossea_config_id\":8", StringComparison.Ordinal), expectedStatus: 400);

        error.GetProperty("error").GetString().Should().Be("Cannot start initial replication - CloudStack prerequisites not met");
        sim.Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task UnknownOsseaConfig_ForAnotherType_Is500AfterTheJobRow_AndBlocksTheVm()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var body = RawHttp.CreateBody(sim.Inventory.All[0], ",\"replication_type\":\"incremental\"").Replace("\"ossea_config_id\":7", "\"ossea_config_id\":8", StringComparison.Ordinal);

        var (status, _) = await http.PostAsync("api/v1/replications", body);
        var next = await http.PostAsync("api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]));

        status.Should().Be(500);
        sim.Contexts.Single().CurrentJobId.Should().Be(sim.Jobs.Single().Id);
        next.Status.Should().Be(409);
    }

    [Fact]
    public async Task RenamedVm_WithAnIdleContext_Is500DuplicateEntry_AndNoJob()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];
        await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vm, ",\"start_replication\":false"), expectedStatus: 201);

        var error = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vm, name: "vm001-renamed"), expectedStatus: 500);

        error.GetProperty("details").GetString().Should().StartWith("failed to create VM context: Error 1062 (23000): Duplicate entry").And.EndWith("for key 'unique_vm_per_vcenter'");
        sim.Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task EmptyReplicationType_AfterACompletedJob_IsIncremental_WithReusedVolumes_AndDefaultsFillVCenterAndDatacenter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 9, 19, 16, 0, 0, TimeSpan.Zero));
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, TimeProvider = clock, JobDuration = TimeSpan.FromSeconds(10), OmaDefaultVCenterHost = "vc-default", OmaDefaultDatacenter = "DC-default" });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];
        var body = RawHttp.CreateBody(vm).Replace($"\"vcenter_host\":\"{vm.VCenter}\",\"datacenter\":\"{vm.Datacenter}\"", "\"vcenter_host\":\"\"", StringComparison.Ordinal);
        var first = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", body, expectedStatus: 201);
        clock.Advance(TimeSpan.FromSeconds(10));

        var second = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", body, expectedStatus: 201);
        var job = await http.JsonAsync(HttpMethod.Get, $"api/v1/replications/{second.GetProperty("job_id").GetString()}");

        first.GetProperty("created_volumes").EnumerateArray().Should().OnlyContain(v => v.GetProperty("status").GetString() == "created");
        second.GetProperty("created_volumes").EnumerateArray().Should().OnlyContain(v => v.GetProperty("status").GetString() == "reused");
        job.GetProperty("configuration").GetProperty("replication_type").GetString().Should().Be("incremental");
        job.GetProperty("source_vm").GetProperty("vcenter_host").GetString().Should().Be("vc-default");
        job.GetProperty("source_vm").GetProperty("datacenter").GetString().Should().Be("DC-default");
    }

    [Theory]
    [InlineData("""{"source_vm":{"id":"a","name":"b","path":"/DC1/vm/b","disks":[]},"ossea_config_id":7,"start_replication":"false"}""", "start_replication of type bool")]
    [InlineData("""{"source_vm":{"id":"a","name":"b","path":"/DC1/vm/b","disks":[{"capacity_bytes":"10"}]},"ossea_config_id":7}""", "source_vm.disks.capacity_bytes of type int64")]
    [InlineData("""{"source_vm":"vm001","ossea_config_id":7}""", "source_vm of type struct")]
    [InlineData("""[]""", "cannot unmarshal array into Go value")]
    [InlineData("""{"source_vm":""", "unexpected EOF")]
    [InlineData("""{"source_vm":x}""", "invalid character 'x'")]
    [InlineData("", "EOF")]
    public async Task TypeErrorsAndBadJson_Are400InvalidRequestPayload_NeverA500(string body, string details)
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var error = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", body, expectedStatus: 400);

        error.GetProperty("error").GetString().Should().Be("Invalid request payload");
        error.GetProperty("details").GetString().Should().Contain(details);
        sim.Jobs.Should().BeEmpty();
    }

    [Fact]
    public async Task GoDecoding_KeysIgnoreCase_TrailingDataIsIgnored_AndADiskWithoutCapacityIsAccepted()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vm = sim.Inventory.All[0];

        var created = await http.JsonAsync(HttpMethod.Post, "api/v1/replications",
            $$"""{"SOURCE_VM":{"Id":"{{vm.Id}}","NAME":"{{vm.Name}}","path":"{{vm.Path}}","disks":[{"id":"disk-2000","path":"[ds] a/a.vmdk","size_gb":40}]},"Ossea_Config_Id":7} {"more":true}""",
            expectedStatus: 201);

        created.GetProperty("source_vm").GetProperty("disks")[0].GetProperty("capacity_bytes").GetInt64().Should().Be(0);
        sim.Jobs.Should().ContainSingle();
    }

    [Fact]
    public async Task Volumes_AreNamedAfterTheVm_SizedAsRequested_MountedAsRawBlockDevices_WithDevicesUniqueAcrossJobs()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var vms = sim.Inventory.All;

        var a = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[0]), expectedStatus: 201);
        var b = await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(vms[1]), expectedStatus: 201);

        var leaf = vms[0].Path[(vms[0].Path.LastIndexOf('/') + 1)..];
        a.GetProperty("created_volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString())
            .Should().Equal(vms[0].Disks.Select((_, i) => $"migration-{vms[0].Name}-{leaf}-disk-{i}"));
        a.GetProperty("created_volumes").EnumerateArray().Select(v => v.GetProperty("size_gb").GetInt64())
            .Should().Equal(vms[0].Disks.Select(d => (d.CapacityBytes + (1L << 30) - 1) >> 30), "the request disk's size_gb");
        var mounts = a.GetProperty("mounted_volumes").EnumerateArray().Concat(b.GetProperty("mounted_volumes").EnumerateArray()).ToList();
        mounts.Should().OnlyContain(m => m.GetProperty("mount_point").GetString() == "raw-block-device");
        mounts.Select(m => m.GetProperty("device_path").GetString()).Should().OnlyHaveUniqueItems();
    }
}
