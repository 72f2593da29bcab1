using System.Net;
using Replication.Sdk.Jobs;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Serialization;

/// <summary>Nulls, missing members and wrong types in answers surface as typed format errors naming the JSON path.</summary>
public sealed class ResponseNullabilityTests : IDisposable
{
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private const string Context = $"{SdkTestHost.Oma}/vm-contexts/web-linux-01";
    private const string Create = $"{SdkTestHost.Oma}/replications";

    private readonly SdkTestHost _host = SdkTestHost.Create();

    public void Dispose() => _host.Dispose();

    private static string RealInventory => Fixtures.Read("vma-real/extra-discover-all.json");

    [Theory]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[null]}""", "$.vms[0]")]
    [InlineData("""{"vcenter":null,"vms":[]}""", "$.vcenter")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","name":"web","disks":[null]}]}""", "$.vms[0].disks[0]")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","name":"web","networks":[{"label":"n","network_name":null}]}]}""", "$.vms[0].networks[0].network_name")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":null}]}""", "$.vms[0].id")]
    public async Task DiscoverAsync_NullWhereTheApiHasAValue_ThrowsFormatErrorNamingThePath(string body, string path)
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", body);

        var error = (await _host.VmaClient.Awaiting(c => c.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC0" }))
            .Should().ThrowAsync<ReplicationResponseFormatException>()).Which;

        error.Message.Should().Contain("where the API has a value").And.Contain(path);
    }

    [Fact]
    public async Task DiscoverAsync_NullArrays_ReadAsEmpty()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json",
            """{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","name":"web","disks":null,"networks":null}]}""");

        var inventory = await _host.VmaClient.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC0" });

        inventory.Vms.Single().Disks.Should().BeEmpty();
        inventory.Vms.Single().Networks.Should().BeEmpty();
    }

    [Fact]
    public async Task GetVmContextAsync_NullContext_ThrowsFormatErrorNamingThePath()
    {
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", """{"context":null,"job_history":null}""");

        var error = (await _host.OmaClient.Awaiting(c => c.GetVmContextAsync("web-linux-01")).Should().ThrowAsync<ReplicationResponseFormatException>()).Which;

        error.Message.Should().Contain("$.context");
    }

    [Theory]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[null]}""")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{}]}""")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"cb045add-5c8d-5911-a2ba-1d84ed2430b9","name":"web-linux-01","path":"/DC0/vm/web-linux-01","num_cpu":2,"memory_mb":4096,"disks":[null]}]}""")]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"cb045add-5c8d-5911-a2ba-1d84ed2430b9","name":"web-linux-01","path":"/DC0/vm/web-linux-01","num_cpu":2,"memory_mb":4096,"disks":[{"id":"disk-2000","path":"[ds] a.vmdk","capacity_bytes":1}],"networks":[{"label":"n","network_name":null}]}]}""")]
    public async Task SubmitAsync_BrokenDiscoveryAnswer_IsATypedFailureNotACrash(string body)
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", body);
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(RealVms.WebLinux01Target);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.Error.Should().BeAssignableTo<ReplicationException>();
        _host.OmaHttp.GetMatchCount(create).Should().Be(0);
    }

    [Fact]
    public async Task SubmitAsync_NullContext_IsATypedFailureNotACrash()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", RealInventory);
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", """{"context":null}""");

        var result = await _host.Submitter.SubmitAsync(RealVms.WebLinux01Target);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.Error.Should().BeOfType<ReplicationResponseFormatException>().Which.Message.Should().Contain("$.context");
    }
}
