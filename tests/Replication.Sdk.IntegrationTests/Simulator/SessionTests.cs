using System.Net.Http;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Point 2 of issue 20: the real OMA's login sessions.</summary>
public sealed class SessionTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Login_AnyApplianceIdAndKeyCase_ReturnsOneConstantTokenValidTenYearsInLocalTime()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, LoginToken = "secret", TimeProvider = clock });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var first = await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"appliance_id":"sim-appliance","token":"secret","version":"1"}""");
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"APPLIANCE_ID":"some-other-appliance","Token":"secret"} trailing data""");

        first.GetProperty("success").GetBoolean().Should().BeTrue();
        second.GetProperty("session_token").GetString().Should().Be(first.GetProperty("session_token").GetString());
        first.GetProperty("expires_at").GetString().Should().Be("2035-09-17T17:00:00+01:00", "3650 days later, in the OMA's local offset");
    }

    [Fact]
    public async Task Restart_LosesTheSession_AndTheNextLoginMakesTheSameTokenValidAgain()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, LoginToken = "secret" });
        using var http = new RawHttp(sim.OmaBaseAddress);
        var token = (await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"token":"secret"}""")).GetProperty("session_token").GetString();
        http.Bearer = token;

        var before = await http.GetAsync("api/v1/vm-contexts");
        sim.RestartOma();
        var lost = await http.GetAsync("api/v1/vm-contexts");
        var again = (await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"token":"secret"}""")).GetProperty("session_token").GetString();
        var after = await http.GetAsync("api/v1/vm-contexts");

        before.Status.Should().Be(200);
        lost.Status.Should().Be(401);
        lost.Body.Should().Contain("\"error\":\"Invalid or expired token\"").And.Contain("\"details\":\"\"");
        again.Should().Be(token);
        after.Status.Should().Be(200, "the restarted OMA accepts the constant token once someone logged in again");
    }

    [Theory]
    [InlineData("""{"token":"wrong"}""", 401, "\"error_message\":\"Invalid credentials\"")]
    [InlineData("""{"token":7}""", 400, "\"error\":\"Invalid request payload\"")]
    [InlineData("", 400, "\"details\":\"EOF\"")]
    public async Task Login_BadBodies_AreTheRealErrors(string body, int status, string fragment)
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, LoginToken = "secret" });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var (actualStatus, actualBody) = await http.PostAsync("api/v1/auth/login", body);

        actualStatus.Should().Be(status);
        actualBody.Should().Contain(fragment);
    }

    [Fact]
    public async Task KinderOptions_TokenPerLoginAndApplianceIdCheck_AreOptIn()
    {
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 1, LoginToken = "secret", UniqueSessionTokens = true, RequireApplianceId = true });
        using var http = new RawHttp(sim.OmaBaseAddress);

        var a = await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"appliance_id":"sim-appliance","token":"secret"}""");
        var b = await http.JsonAsync(HttpMethod.Post, "api/v1/auth/login", """{"appliance_id":"sim-appliance","token":"secret"}""");
        var other = await http.PostAsync("api/v1/auth/login", """{"appliance_id":"other","token":"secret"}""");

        a.GetProperty("session_token").GetString().Should().NotBe(b.GetProperty("session_token").GetString());
        other.Status.Should().Be(401);
    }
}
