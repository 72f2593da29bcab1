using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The dashboard's pages and forms on the ASP.NET test server: encoding, antiforgery, read-only mode, audit.</summary>
public sealed partial class DashboardTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 28, 0, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(time: new FakeTimeProvider(Start));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Overview_ListsSchedulesWithTheirNextRun_InTheirZoneAndUtc()
    {
        using var client = _app.CreateClient("alice");

        var response = await client.GetAsync("/replication/");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'self'");
        html.Should().Contain("Nightly production").And.Contain("2026-03-28 03:00:00 (+00:00)").And.Contain("2026-03-28 03:00:00 UTC");
        html.Should().Contain("Signed in as <strong id=\"user\">alice</strong>");
        html.Should().Contain("href=\"/replication/assets/dashboard.css\"").And.NotContain("http://").And.NotContain("https://", "no CDN");
    }

    [Fact]
    public async Task Pages_EncodeMarkupInNames_AndReasons()
    {
        await SeedAsync();
        using var client = _app.CreateClient();

        var pages = new[] { "/replication/", "/replication/schedules/archive", "/replication/executions/e-xss", "/replication/vms/ctx-xss" };
        foreach (var page in pages)
        {
            var html = await client.GetStringAsync(page);
            html.Should().NotContain("<script>alert", page).And.NotContain("<b>old</b>", page).And.NotContain("disk <full>", page);
        }

        var execution = await client.GetStringAsync("/replication/executions/e-xss");
        execution.Should().Contain("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;").And.Contain("disk &lt;full&gt;").And.Contain("job-xss");
        (await client.GetStringAsync("/replication/schedules/archive")).Should().Contain("Archive &lt;b&gt;old&lt;/b&gt;");
    }

    [Fact]
    public async Task Overview_ShowsRecentFailures_WithTheFailedVmsAndWhy_AndAnOldFailureIsNotRecent()
    {
        await SeedAsync();
        (await _app.Executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "e-old", ScheduleId = "archive", ScheduledFor = Start.AddDays(-2), TriggerKind = TriggerKind.Manual, TriggeredBy = "seed", StartedAt = Start.AddDays(-2),
            CompletedAt = Start.AddDays(-2), Status = ExecutionStatus.Failed,
            VmOutcomes = [new VmOutcome { ContextId = "ctx-xss", VmName = "old-vm", GroupId = "legacy", Kind = VmOutcomeKind.CreateFailed, Reason = "two days ago" }],
        })).Should().BeTrue();
        using var client = _app.CreateClient();

        var html = await client.GetStringAsync("/replication/");

        var failures = html[html.IndexOf("id=\"failures\"", StringComparison.Ordinal)..html.IndexOf("id=\"rpo\"", StringComparison.Ordinal)];
        failures.Should().Contain("/replication/executions/e-xss").And.Contain("JobFailed").And.Contain("disk &lt;full&gt;");
        failures.Should().NotContain("e-old").And.NotContain("two days ago");
    }

    [Fact]
    public async Task UnknownIds_Are404Pages()
    {
        using var client = _app.CreateClient();

        foreach (var page in new[] { "/replication/schedules/nope", "/replication/executions/nope", "/replication/vms/nope", "/replication/assets/nope.js" })
        {
            (await client.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.NotFound, page);
        }
    }

    [Fact]
    public async Task Assets_AreServedFromThePackage()
    {
        using var client = _app.CreateClient();

        var css = await client.GetAsync("/replication/assets/dashboard.css");
        var js = await client.GetAsync("/replication/assets/dashboard.js");

        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        (await css.Content.ReadAsStringAsync()).Should().Contain(".timeline");
        js.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await js.Content.ReadAsStringAsync()).Should().Contain("data-live");
    }

    [Fact]
    public async Task TriggerForm_WithoutAntiforgeryToken_IsRefused_NothingRuns_AndTheRefusalIsAudited()
    {
        using var client = _app.CreateClient("mallory");

        var response = await client.PostAsync("/replication/schedules/nightly/trigger", new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "csrf" }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("antiforgery token is missing or invalid");
        _app.Executions.All.Should().BeEmpty();
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Principal = "mallory", Action = "trigger", Channel = "dashboard", Outcome = AuditOutcome.Refused, Target = "schedule 'nightly'",
            Detail = "The form's antiforgery token is missing or invalid: reload the page and try again.",
        });
    }

    [Fact]
    public async Task PauseForm_WithTheTokenInAHeaderButNoForm_Is415_AndAudited()
    {
        using var client = _app.CreateClient("alice");
        var (cookie, token) = await FormTokenAsync(client, "/replication/schedules/nightly");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/replication/schedules/nightly/pause") { Content = new StringContent("{\"reason\":\"x\"}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("RequestVerificationToken", token);

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "alice", Action = "pause", Outcome = AuditOutcome.Refused });
        (await _app.App.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().BeEmpty("nothing was paused");
    }

    [Theory]
    [InlineData("/replication/", HttpStatusCode.OK)]
    [InlineData("/replication/schedules/nightly", HttpStatusCode.OK)]
    [InlineData("/replication/schedules/none", HttpStatusCode.NotFound)]
    [InlineData("/replication/assets/dashboard.css", HttpStatusCode.OK)]
    public async Task Head_OnAPage_AnswersLikeGet_WithoutABody(string path, HttpStatusCode status)
    {
        using var client = _app.CreateClient();
        using var get = await client.GetAsync(path);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.Should().Be(status).And.Be(get.StatusCode);
        head.Content.Headers.ContentType?.MediaType.Should().Be(get.Content.Headers.ContentType?.MediaType);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await get.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Head_IsRefusedToAnAnonymousRequest_LikeGet()
    {
        using var client = _app.CreateClient(user: null);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/replication/"));

        ((int)head.StatusCode).Should().BeOneOf(401, 403);
    }

    [Fact]
    public async Task TriggerForm_WithToken_StartsAnExecution_RedirectsToIt_AndIsAudited()
    {
        using var client = _app.CreateClient("alice");
        var (cookie, token) = await FormTokenAsync(client, "/replication/schedules/nightly");

        var response = await PostFormAsync(client, "/replication/schedules/nightly/trigger", cookie, token, ("reason", "from the dashboard"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var execution = _app.Executions.All.Should().ContainSingle().Subject;
        response.Headers.Location!.ToString().Should().Be($"/replication/executions/{execution.Id}?done=triggered");
        execution.TriggeredBy.Should().Be("alice");
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "alice", Action = "trigger", Channel = "dashboard", Outcome = AuditOutcome.Succeeded, ExecutionId = execution.Id });
    }

    [Fact]
    public async Task PauseAndResumeForms_PauseTheSchedule_AndARefusalShowsOnThePage()
    {
        using var client = _app.CreateClient("carol");
        var (cookie, token) = await FormTokenAsync(client, "/replication/schedules/nightly");

        var paused = await PostFormAsync(client, "/replication/schedules/nightly/pause", cookie, token, ("reason", "maintenance"));
        var page = await client.GetStringAsync("/replication/schedules/nightly");
        var trigger = await PostFormAsync(client, "/replication/schedules/nightly/trigger", cookie, token);
        var resumed = await PostFormAsync(client, "/replication/schedules/nightly/resume", cookie, token);

        paused.Headers.Location!.ToString().Should().Be("/replication/schedules/nightly?done=paused");
        page.Should().Contain("maintenance").And.Contain("data-action=\"resume\"").And.NotContain("data-action=\"trigger\"");
        trigger.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await trigger.Content.ReadAsStringAsync()).Should().Contain("id=\"error\"").And.Contain("resume it to trigger it");
        resumed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        _app.Audit.Records.Select(r => (r.Action, r.Outcome)).Should().Equal(("pause", AuditOutcome.Succeeded), ("trigger", AuditOutcome.Refused), ("resume", AuditOutcome.Succeeded));
    }

    [Fact]
    public async Task ReadOnlyMode_HidesTheForms_AndRefusesAPost()
    {
        await using var app = await TestApp.StartAsync(o => o.ReadOnly = true, new FakeTimeProvider(Start));
        using var client = app.CreateClient("erin");
        var page = await client.GetStringAsync("/replication/schedules/nightly");
        var (cookie, token) = await FormTokenAsync(client, "/test/antiforgery");

        var response = await PostFormAsync(client, "/replication/schedules/nightly/trigger", cookie, token);

        page.Should().Contain("read-only").And.NotContain("<form");
        token.Should().NotBeEmpty();
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("read-only mode");
        app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "erin", Action = "trigger", Channel = "dashboard", Outcome = AuditOutcome.Refused });
        app.Executions.All.Should().BeEmpty();
    }

    private static async Task<(string Cookie, string Token)> FormTokenAsync(HttpClient client, string page)
    {
        var response = await client.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var match = TokenField().Match(html);
        return (cookie, match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : "");
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string cookie, string token, params (string Key, string Value)[] fields)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value);
        values["__RequestVerificationToken"] = token;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(values) };
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private async Task SeedAsync() =>
        (await _app.Executions.TryCreateAsync(new ScheduleExecution
        {
            Id = "e-xss", ScheduleId = "archive", ScheduledFor = Start, TriggerKind = TriggerKind.Manual, TriggeredBy = "<i>seed</i>", StartedAt = Start,
            CompletedAt = Start.AddMinutes(1), Status = ExecutionStatus.Failed,
            VmOutcomes = [new VmOutcome { ContextId = "ctx-xss", VmName = TestApp.XssVmName, GroupId = "legacy", Kind = VmOutcomeKind.JobFailed, JobId = "job-xss", Reason = "disk <full>", CompletedAt = Start }],
        })).Should().BeTrue();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
