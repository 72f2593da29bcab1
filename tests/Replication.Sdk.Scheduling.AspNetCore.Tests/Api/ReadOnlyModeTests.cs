using System.Net;
using System.Net.Http.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>Read-only mode: every operator action is refused with 403 and an audit record; reads still work.</summary>
public sealed class ReadOnlyModeTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(o => o.ReadOnly = true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/replication/schedules/nightly/trigger", "trigger")]
    [InlineData("/api/replication/schedules/nightly/pause", "pause")]
    [InlineData("/api/replication/groups/web/pause", "pause")]
    [InlineData("/api/replication/vms/ctx-vm001/resume", "resume")]
    public async Task Action_IsRefused_With403_AndAuditedAsRefused(string path, string action)
    {
        using var client = _app.CreateClient("erin");

        var response = await client.PostAsJsonAsync(path, new { reason = "try" });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "read-only");
        problem.GetProperty("detail").GetString().Should().Contain("read-only mode");
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "erin", Action = action, Outcome = AuditOutcome.Refused });
        _app.Executions.All.Should().BeEmpty("nothing was triggered");
        (await _app.App.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().BeEmpty("nothing was paused");
    }

    [Theory]
    [InlineData("{ not json", "application/json", null)]
    [InlineData("{}", "application/json", "https://evil.example")]
    [InlineData("reason=x", "application/x-www-form-urlencoded", null)]
    public async Task Action_IsRefusedAsReadOnly_FirstWhateverItsRequest(string body, string contentType, string? origin)
    {
        using var client = _app.CreateClient("erin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/replication/schedules/nightly/trigger") { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await client.SendAsync(request);

        await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "read-only");
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
        _app.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task Reads_StillWork()
    {
        using var client = _app.CreateClient();

        (await client.GetAsync("/api/replication/schedules")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/replication/executions")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
