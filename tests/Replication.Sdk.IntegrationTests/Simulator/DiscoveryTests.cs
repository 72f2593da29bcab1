using System.Net.Http;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 10 of issue 20: the real VMA's filter, hosts and datacenters.</summary>
public sealed class DiscoveryTests
{
    private static string Body(string vcenter, string datacenter, string filter) =>
        $$"""{"vcenter":"{{vcenter}}","username":"u","password":"p","datacenter":"{{datacenter}}","filter":"{{filter}}"}""";

    [Fact]
    public async Task FilterWithAnEmptyTerm_MatchesEveryVm()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 5 });
        using var http = new RawHttp(sim.VmaBaseAddress);

        var one = await http.JsonAsync(HttpMethod.Post, "api/v1/discover", Body("vcenter.example.local", "DC1", "vm001"));
        var all = await http.JsonAsync(HttpMethod.Post, "api/v1/discover", Body("vcenter.example.local", "DC1", "vm001,"));

        one.GetProperty("vms").GetArrayLength().Should().Be(1);
        all.GetProperty("vms").GetArrayLength().Should().Be(5, "the empty term is a substring of every name");
    }

    [Fact]
    public async Task HostIgnoresCase_DatacenterGlobIsEchoedVerbatim()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3 });
        using var http = new RawHttp(sim.VmaBaseAddress);

        var found = await http.JsonAsync(HttpMethod.Post, "api/v1/discover", Body("VCENTER.Example.local", "DC*", ""));

        found.GetProperty("vcenter").GetProperty("host").GetString().Should().Be("VCENTER.Example.local");
        found.GetProperty("vcenter").GetProperty("datacenter").GetString().Should().Be("DC*");
        found.GetProperty("vms").EnumerateArray().Should().HaveCount(3).And.OnlyContain(v => v.GetProperty("datacenter").GetString() == "DC*" && v.GetProperty("path").GetString()!.StartsWith("/DC1/vm/"));
    }

    [Fact]
    public async Task DatacenterNamesAreCaseSensitive_AndAGlobMatchingSeveralIsAnError()
    {
        var options = new SimulatorOptions { VmCount = 4 };
        options.Datacenters.Add("DC2");
        await using var sim = await ApplianceSimulator.StartAsync(options);
        using var http = new RawHttp(sim.VmaBaseAddress);

        var lower = await http.PostAsync("api/v1/discover", Body("vcenter.example.local", "dc1", ""));
        var several = await http.PostAsync("api/v1/discover", Body("vcenter.example.local", "DC?", ""));

        lower.Status.Should().Be(500);
        lower.Body.Should().Contain("datacenter 'dc1' not found");
        several.Status.Should().Be(500);
        several.Body.Should().Contain("resolves to multiple datacenters");
    }
}
