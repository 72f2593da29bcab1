using System.Net;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>HEAD is answered wherever GET is: the same status and headers, no body; and the actions stay POST, PUT and DELETE only.</summary>
public sealed class HeadRequestTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/replication/schedules")]
    [InlineData("/api/replication/schedules/nightly")]
    [InlineData("/api/replication/schedules/nope")]
    [InlineData("/api/replication/schedules/nightly/groups")]
    [InlineData("/api/replication/schedules/nightly/preview")]
    [InlineData("/api/replication/preview")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=PT12H")]
    [InlineData("/api/replication/schedules/nightly/rpo")]
    [InlineData("/api/replication/executions?page=abc")]
    [InlineData("/api/replication/executions")]
    [InlineData("/api/replication/vms/ctx-vm001")]
    [InlineData("/api/replication/pauses")]
    [InlineData("/api/replication/audit")]
    [InlineData("/api/replication/openapi/replication-scheduling.json")]
    public async Task Head_AnswersAsGetDoes_WithoutABody(string path)
    {
        using var client = _app.CreateClient();

        using var get = await client.GetAsync(path);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.Should().Be(get.StatusCode).And.NotBe(HttpStatusCode.MethodNotAllowed);
        head.Content.Headers.ContentType?.ToString().Should().Be(get.Content.Headers.ContentType?.ToString());
        head.Headers.ETag.Should().Be(get.Headers.ETag);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await get.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Head_IsAuthorizedAsGetIs_AndNoActionAnswersIt()
    {
        using var anonymous = _app.CreateClient(user: null);
        using var client = _app.CreateClient();

        (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/replication/schedules"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/replication/schedules/nightly/trigger"))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/replication/groups/web/members/ctx-vm001"))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        _app.Audit.Records.Should().BeEmpty();
        _app.Executions.All.Should().BeEmpty();
    }
}
