using System.Net.Http;
using System.Text.Json;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 9 of issue 20: Go's router and the OMA's fixed answers.</summary>
public sealed class RoutingTests
{
    [Theory]
    [InlineData("OMA", "PUT", "api/v1/vm-contexts", 405, "")]
    [InlineData("OMA", "POST", "api/v1/replications/job-1", 405, "")]
    [InlineData("OMA", "GET", "api/v1/replications/", 404, "404 page not found\n")]
    [InlineData("OMA", "GET", "api/v1/vm-contexts/", 404, "404 page not found\n")]
    [InlineData("VMA", "GET", "api/v1/discover", 405, "")]
    [InlineData("VMA", "GET", "api/v1/health/", 404, "404 page not found\n")]
    public async Task WrongMethodIs405BeforeAuth_TrailingSlashIs404(string appliance, string method, string path, int status, string body)
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, LoginToken = "secret" });
        using var http = new RawHttp(appliance == "OMA" ? sim.OmaBaseAddress : sim.VmaBaseAddress);

        var answer = await http.SendAsync(new HttpMethod(method), path);

        answer.Should().Be((status, body), "no session was needed to learn the route's methods");
    }

    [Fact]
    public async Task LegacyList_IsAlwaysEmpty_AndHealthHasTheOmaShape()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1 });
        using var http = new RawHttp(sim.OmaBaseAddress);
        await http.JsonAsync(HttpMethod.Post, "api/v1/replications", RawHttp.CreateBody(sim.Inventory.All[0]), expectedStatus: 201);

        var list = await http.GetAsync("api/v1/replications");
        var health = await http.JsonAsync(HttpMethod.Get, "health");

        list.Should().Be((200, "[]"));
        health.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("database", "service", "status", "timestamp", "version");
        health.GetProperty("status").GetString().Should().Be("healthy");
    }
}
