using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// What a fresh-eyes attack on the API found, each pinned: cross-site actions, bodies and query strings that do not bind,
/// pauses of targets nobody has, unbounded reasons, local-time resume-at, enum lists, cookie redirects, control characters.
/// Every refusal is a problem document and, for an action, exactly one audit record; nothing acts.
/// </summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/replication/schedules/nightly/trigger", "trigger")]
    [InlineData("/api/replication/groups/web/pause", "pause")]
    [InlineData("/api/replication/groups/web/resume", "resume")]
    public async Task Action_WithoutJson_Is415_AuditedAsRefused_AndDoesNothing(string path, string action)
    {
        using var client = _app.CreateClient("alice");

        // What a cross-site form or a no-cors fetch can send without a preflight.
        var bare = await client.PostAsync(path, null);
        var form = await client.PostAsync(path, new FormUrlEncodedContent([new("reason", "x")]));
        var text = await client.PostAsync(path, new StringContent("{}", Encoding.UTF8, "text/plain"));

        foreach (var response in new[] { bare, form, text })
        {
            await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "json-required");
        }

        _app.Audit.Records.Should().HaveCount(3).And.OnlyContain(r => r.Action == action && r.Outcome == AuditOutcome.Refused && r.Detail!.Contains("application/json"));
        _app.Executions.All.Should().BeEmpty();
        (await _app.App.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Action_FromAnotherOrigin_Is403_AuditedAsRefused()
    {
        using var client = _app.CreateClient("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/replication/schedules/nightly/trigger") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Origin", "http://127.0.0.1:8099");

        var response = await client.SendAsync(request);

        await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "cross-origin");
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
        _app.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task Action_FromItsOwnOrigin_IsAccepted()
    {
        using var client = _app.CreateClient("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/replication/groups/web/pause") { Content = JsonContent.Create(new { reason = "same origin" }) };
        request.Headers.Add("Origin", $"http://{client.BaseAddress!.Authority}");

        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{\"reason\":\"x\"")]
    [InlineData("[]")]
    [InlineData("{\"force\":\"yes\"}")]
    [InlineData("\"just a string\"")]
    public async Task Trigger_WithABodyThatDoesNotRead_Is400_AuditedAsRefused(string body)
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsync("/api/replication/schedules/nightly/trigger", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body");
        problem.GetProperty("detail").GetString().Should().StartWith("The body is not valid JSON for this action");
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
        _app.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task Trigger_WithNullFieldsOrAnEmptyJsonBody_UsesTheDefaults()
    {
        using var client = _app.CreateClient("alice");

        var nulls = await client.PostAsync("/api/replication/schedules/nightly/trigger", new StringContent("{\"reason\":null}", Encoding.UTF8, "application/json"));

        nulls.StatusCode.Should().Be(HttpStatusCode.Accepted);
        _app.Audit.Records.Should().ContainSingle().Which.Detail.Should().Contain("triggered through the api");
    }

    [Fact]
    public async Task Action_WithAHugeBody_IsRefused_WithoutReadingItAll()
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsync("/api/replication/schedules/nightly/trigger", new StringContent($"{{\"reason\":\"{new string('r', 200_000)}\"}}", Encoding.UTF8, "application/json"));

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body");
        problem.GetProperty("detail").GetString().Should().Contain("64 KiB");
        _app.Audit.Records.Should().ContainSingle().Which.Detail!.Length.Should().BeLessThan(500, "the audit records the refusal, not the body");
    }

    [Fact]
    public async Task Trigger_WithAReasonOver2000Characters_Is400_AndTheRecordDoesNotCarryIt()
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { reason = new string('r', 2001) });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-argument");
        problem.GetProperty("detail").GetString().Should().Contain("2001 characters");
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Outcome = AuditOutcome.Refused, Action = "trigger" });
        _app.Executions.All.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/api/replication/vms/vm001/pause", "vm-not-found", "context id")]
    [InlineData("/api/replication/groups/nosuch/pause", "group-not-found", "nosuch")]
    [InlineData("/api/replication/schedules/nosuch/pause", "schedule-not-found", "nosuch")]
    public async Task Pause_OfATargetNobodyHas_Is404_AuditedAsRefused_AndNothingIsPaused(string path, string type, string named)
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsJsonAsync(path, new { reason = "maintenance" });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.NotFound, type);
        problem.GetProperty("detail").GetString().Should().Contain(named);
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
        (await _app.App.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("2099-12-03T18:00:00")]
    [InlineData("tomorrow")]
    public async Task Pause_WithAResumeAtWithoutOffset_Is400_NamingIt(string resumeAt)
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "x", resumeAt });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-pause-request");
        problem.GetProperty("parameter").GetString().Should().Be("resumeAt");
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
    }

    [Fact]
    public async Task Pause_WithAResumeAtWithAnOffset_KeepsThatInstant()
    {
        using var client = _app.CreateClient("alice");

        var body = await (await client.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "x", resumeAt = "2099-12-03T18:00:00-05:00" })).Content.ReadFromJsonAsync<JsonElement>();

        body.GetProperty("resumeAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2099, 12, 3, 23, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("status=Running,Skipped", "status 'Running,Skipped' is not one of")]
    [InlineData("status=Completed%2CCompletedWithErrors", "is not one of")]
    [InlineData("trigger=Scheduled,Manual", "trigger 'Scheduled,Manual' is not one of")]
    [InlineData("page=abc", "page 'abc' is not a whole number")]
    [InlineData("pageSize=abc", "pageSize 'abc' is not a whole number")]
    [InlineData("page=2147483648", "page '2147483648' is not a whole number")]
    [InlineData("failedOnly=maybe", "failedOnly 'maybe' is neither true nor false")]
    [InlineData("page=1&page=2", "page is given 2 times")]
    [InlineData("scheduleId=a&scheduleId=b", "scheduleId is given 2 times")]
    [InlineData("page=2147483647&pageSize=200", "past the last page")]
    public async Task Executions_QueryThatDoesNotBind_IsAProblem_NamingTheParameter(string query, string message)
    {
        using var client = _app.CreateClient();

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(await client.GetAsync($"/api/replication/executions?{query}"), HttpStatusCode.BadRequest, "invalid-query");

        problem.GetProperty("detail").GetString().Should().Contain(message);
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    public async Task Audit_BadLimit_IsAProblem(string query)
    {
        using var client = _app.CreateClient();

        await SchedulingApiTests.ShouldBeProblemAsync(await client.GetAsync($"/api/replication/audit?{query}"), HttpStatusCode.BadRequest, "invalid-argument");
    }

    [Fact]
    public async Task Preview_FromTheLastWeekOfTheCalendar_IsAProblemInOurWords()
    {
        using var client = _app.CreateClient();

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(await client.GetAsync("/api/replication/preview?from=9999-12-31T00:00:00%2B14:00"), HttpStatusCode.BadRequest, "invalid-argument");

        problem.GetProperty("detail").GetString().Should().Contain("give until as well").And.NotContain("un-representable");
    }

    [Fact]
    public async Task DashboardAction_PostedAsJsonWithAValidToken_IsRefused_NotA500()
    {
        using var client = _app.CreateClient("alice");
        var tokenPage = await client.GetAsync("/test/antiforgery");
        var cookie = string.Join("; ", tokenPage.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(await tokenPage.Content.ReadAsStringAsync(), "value=\"([^\"]+)\"").Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/replication/schedules/nightly/trigger") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Add("Cookie", cookie);

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        _app.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task ForbiddenAttempts_OfOneUser_AreAuditedAtMost20AMinute_ThenCountedInTheNextRecord()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(time: time);
        using var eve = app.CreateClient("eve", roles: "viewer");
        using var alice = app.CreateClient("alice");
        await alice.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "real work" });

        for (var i = 0; i < 50; i++)
        {
            (await eve.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        time.Advance(TimeSpan.FromSeconds(61));
        await eve.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { });

        var eves = app.Audit.Records.Where(r => r.Principal == "eve").ToList();
        eves.Should().HaveCount(21, "20 in the first minute, then one that counts the rest");
        eves[^1].Detail.Should().Contain("30 more forbidden attempts");
        app.Audit.Records.Should().Contain(r => r.Principal == "alice" && r.Outcome == AuditOutcome.Succeeded, "the operator's record survives the flood");
    }

    [Fact]
    public async Task ControlCharacters_InAReason_AreNotWrittenRawIntoTheDashboard()
    {
        using var client = _app.CreateClient("alice");
        (await client.PostAsJsonAsync("/api/replication/schedules/nightly/pause", new { reason = "esc\u001b[31m nul\u0000 cr\r end" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var html = await client.GetStringAsync("/replication/schedules/nightly");

        html.Should().NotContain("\u001b").And.NotContain("\u0000").And.NotContain("\r end").And.Contain("esc\uFFFD[31m");
    }
}
