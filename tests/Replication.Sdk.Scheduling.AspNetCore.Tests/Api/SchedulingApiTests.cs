using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The management API on the ASP.NET test server, signed in through the test handler, on a fixed clock.</summary>
public sealed class SchedulingApiTests : IAsyncLifetime
{
    // 2026-03-28 00:00 UTC: Europe/London leaves GMT for BST at 01:00 UTC on 2026-03-29, between the first two 03:00 runs.
    private static readonly DateTimeOffset Start = new(2026, 3, 28, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(time: _time);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/replication/schedules")]
    [InlineData("GET", "/api/replication/executions")]
    [InlineData("GET", "/api/replication/openapi/replication-scheduling.json")]
    [InlineData("POST", "/api/replication/schedules/nightly/trigger")]
    [InlineData("POST", "/api/replication/schedules/nightly/pause")]
    [InlineData("GET", "/replication/")]
    [InlineData("GET", "/replication/assets/dashboard.css")]
    public async Task Endpoint_Anonymous_Is401_AndWithoutThePolicy_Is403(string method, string path)
    {
        using var anonymous = _app.CreateClient(user: null);
        using var viewer = _app.CreateClient("mallory", roles: "viewer");

        (await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        if (method == "GET")
        {
            _app.Audit.Records.Should().BeEmpty("a refused read is no operator action");
        }
        else
        {
            _app.Audit.Records.Should().ContainSingle("the signed-in user's forbidden action is audited; the anonymous one only logged")
                .Which.Should().BeEquivalentTo(new { Principal = "mallory", Outcome = AuditOutcome.Refused, Target = "schedule 'nightly'", Channel = "api" });
        }

        _app.Executions.All.Should().BeEmpty();
    }

    [Fact]
    public async Task Schedules_ListNextOccurrences_InUtcAndLocal_AcrossTheDstChange()
    {
        using var client = _app.CreateClient();

        var schedules = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules");

        var nightly = schedules.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "nightly");
        var next = nightly.GetProperty("nextOccurrences").EnumerateArray().ToList();
        next.Should().HaveCount(5);
        next[0].GetProperty("utc").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 3, 28, 3, 0, 0, TimeSpan.Zero));
        next[0].GetProperty("local").GetString().Should().Be("2026-03-28T03:00:00+00:00");
        next[1].GetProperty("utc").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.Zero), "03:00 BST is 02:00 UTC");
        next[1].GetProperty("local").GetString().Should().Be("2026-03-29T03:00:00+01:00");
        nightly.GetProperty("pause").ValueKind.Should().Be(JsonValueKind.Null);
        nightly.GetProperty("rpo").GetProperty("neverCompleted").GetInt32().Should().Be(2);
        var archive = schedules.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "archive");
        archive.GetProperty("enabled").GetBoolean().Should().BeFalse();
        archive.GetProperty("nextOccurrences").GetArrayLength().Should().Be(0, "a disabled schedule does not run");
    }

    [Fact]
    public async Task RpoState_CountsVmsWithinAndPastTheTarget_PerGroupAndSchedule()
    {
        // nightly's target is 26 h: vm001 last completed 30 h ago (breached), vm002 1 h ago (within).
        _app.Store.Upsert(new ScheduledVm { ContextId = "ctx-vm001", VmName = "vm001", VCenterHost = "vcenter.example.local", Datacenter = "DC1", LastCompletedJobAt = Start.AddHours(-30) });
        _app.Store.Upsert(new ScheduledVm { ContextId = "ctx-vm002", VmName = "vm002", VCenterHost = "vcenter.example.local", Datacenter = "DC1", LastCompletedJobAt = Start.AddHours(-1) });
        using var client = _app.CreateClient();

        var detail = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly");
        var vm = await client.GetFromJsonAsync<JsonElement>("/api/replication/vms/ctx-vm001");

        var rpo = detail.GetProperty("summary").GetProperty("rpo");
        (rpo.GetProperty("within").GetInt32(), rpo.GetProperty("breached").GetInt32(), rpo.GetProperty("neverCompleted").GetInt32()).Should().Be((1, 1, 0));
        rpo.GetProperty("oldestAge").GetString().Should().Be("1.06:00:00");
        var members = detail.GetProperty("groups")[0].GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("vmName").GetString()!, m => m.GetProperty("rpoBreached").GetBoolean());
        members.Should().Equal(new Dictionary<string, bool> { ["vm001"] = true, ["vm002"] = false });
        vm.GetProperty("rpoAge").GetString().Should().Be("1.06:00:00");
        vm.GetProperty("memberships")[0].GetProperty("rpoBreached").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task ScheduleDetail_HasGroupsAndMemberships_AndAnUnknownId_IsA404Problem()
    {
        using var client = _app.CreateClient();

        var detail = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly");
        var groups = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/groups");
        var missing = await client.GetAsync("/api/replication/schedules/nope");

        var group = detail.GetProperty("groups").EnumerateArray().Single();
        group.GetProperty("id").GetString().Should().Be("web");
        group.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("vmName").GetString()).Should().Equal("vm001", "vm002");
        groups.GetArrayLength().Should().Be(1);
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "schedule-not-found");
    }

    [Fact]
    public async Task Trigger_StartsAnExecution_Returns202WithItsLocation_AndIsAudited()
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { reason = "after the patch", force = true });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("executionId").GetString()!;
        response.Headers.Location!.ToString().Should().Be($"/api/replication/executions/{id}");
        var execution = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        execution.GetProperty("summary").GetProperty("triggeredBy").GetString().Should().Be("alice");
        execution.GetProperty("summary").GetProperty("triggerKind").GetString().Should().Be("Manual");
        execution.GetProperty("summary").GetProperty("forced").GetBoolean().Should().BeTrue();
        var record = _app.Audit.Records.Should().ContainSingle().Subject;
        record.Should().BeEquivalentTo(new { Principal = "alice", Action = "trigger", Target = "schedule 'nightly'", Outcome = AuditOutcome.Succeeded, ExecutionId = id, Channel = "api", At = Start });
        record.Detail.Should().Contain("after the patch").And.Contain("forced");
    }

    [Fact]
    public async Task Trigger_UnknownSchedule_Is404_DisabledSchedule_Is409_AndBothAreAuditedAsRefused()
    {
        using var client = _app.CreateClient("bob");

        var missing = await client.PostAsJsonAsync("/api/replication/schedules/nope/trigger", new { });
        var disabled = await client.PostAsJsonAsync("/api/replication/schedules/archive/trigger", new { });

        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "schedule-not-found");
        await ShouldBeProblemAsync(disabled, HttpStatusCode.Conflict, "schedule-disabled");
        _app.Audit.Records.Should().HaveCount(2).And.OnlyContain(r => r.Outcome == AuditOutcome.Refused && r.Principal == "bob" && r.Action == "trigger");
        _app.Audit.Records[1].Detail.Should().Contain("disabled");
    }

    [Fact]
    public async Task PauseThenResume_ChangesThePauseState_RefusesATrigger_AndAuditsEachStep()
    {
        using var client = _app.CreateClient("carol");

        var paused = await client.PostAsJsonAsync("/api/replication/schedules/nightly/pause", new { reason = "storage maintenance" });
        var again = await client.PostAsJsonAsync("/api/replication/schedules/nightly/pause", new { reason = "twice" });
        var trigger = await client.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { });
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly");
        var resumed = await client.PostAsJsonAsync("/api/replication/schedules/nightly/resume", new { });
        var resumedAgain = await client.PostAsJsonAsync("/api/replication/schedules/nightly/resume", new { });

        paused.StatusCode.Should().Be(HttpStatusCode.OK);
        (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pausedBy").GetString().Should().Be("carol");
        await ShouldBeProblemAsync(again, HttpStatusCode.Conflict, "already-paused");
        await ShouldBeProblemAsync(trigger, HttpStatusCode.Conflict, "schedule-paused");
        listed.GetProperty("summary").GetProperty("pause").GetProperty("reason").GetString().Should().Be("storage maintenance");
        resumed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resumedBy").GetString().Should().Be("carol");
        await ShouldBeProblemAsync(resumedAgain, HttpStatusCode.Conflict, "not-paused");
        _app.Audit.Records.Select(r => (r.Action, r.Outcome)).Should().Equal(
            ("pause", AuditOutcome.Succeeded), ("pause", AuditOutcome.Refused), ("trigger", AuditOutcome.Refused),
            ("resume", AuditOutcome.Succeeded), ("resume", AuditOutcome.Refused));
    }

    [Fact]
    public async Task Pause_WithAResumeAtInThePast_IsA400Problem_AuditedAsRefused()
    {
        using var client = _app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/replication/vms/ctx-vm001/pause", new { reason = "x", resumeAt = Start.AddHours(-1) });

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-pause-request");
        _app.Audit.Records.Should().ContainSingle(r => r.Action == "pause" && r.Target == "vm 'ctx-vm001'" && r.Outcome == AuditOutcome.Refused);
    }

    [Fact]
    public async Task Executions_PageNewestFirst_WithoutOverlapOrGaps_AndFilter()
    {
        for (var i = 0; i < 7; i++)
        {
            await SeedExecutionAsync($"e{i}", Start.AddMinutes(-i), i % 2 == 0 ? ExecutionStatus.Completed : ExecutionStatus.Failed);
        }

        using var client = _app.CreateClient();
        var ids = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/replication/executions?scheduleId=archive&pageSize=3&page={page}");
            body.GetProperty("total").GetInt32().Should().Be(7);
            body.GetProperty("page").GetInt32().Should().Be(page);
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
        }

        var failed = await client.GetFromJsonAsync<JsonElement>("/api/replication/executions?status=failed&from=2026-03-27T23:56:00Z");
        var failedByOffset = await client.GetFromJsonAsync<JsonElement>("/api/replication/executions?status=Failed&from=2026-03-28T00:56:00+01:00");
        var byVm = await client.GetFromJsonAsync<JsonElement>($"/api/replication/executions?vm={Uri.EscapeDataString(TestApp.XssVmName)}");

        ids.Should().Equal("e0", "e1", "e2", "e3", "e4", "e5", "e6");
        failed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Equal("e1", "e3");
        failedByOffset.GetProperty("total").GetInt32().Should().Be(2, "an unencoded '+' of the offset arrives as a space and still means +01:00");
        byVm.GetProperty("total").GetInt32().Should().Be(7);
    }

    [Theory]
    [InlineData("page=0", "page must be 1 or more")]
    [InlineData("pageSize=201", "pageSize must be between 1 and 200")]
    [InlineData("status=Exploded", "status 'Exploded' is not one of")]
    [InlineData("status=1", "status '1' is not one of")]
    [InlineData("from=2026-03-28T00:00:00", "is not an ISO 8601 instant with an offset")]
    [InlineData("from=2026-03-28T00:00:00Z&until=2026-03-27T00:00:00Z", "must be before until")]
    public async Task Executions_BadQuery_IsA400Problem_NamingTheParameter(string query, string message)
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync($"/api/replication/executions?{query}");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-query");
        problem.GetProperty("detail").GetString().Should().Contain(message);
    }

    [Fact]
    public async Task ExecutionDetail_HasPerVmOutcomes_WithReasonsAndJobIds_AndAnUnknownId_IsA404Problem()
    {
        await SeedExecutionAsync("e-detail", Start, ExecutionStatus.CompletedWithErrors);
        using var client = _app.CreateClient();

        var detail = await client.GetFromJsonAsync<JsonElement>("/api/replication/executions/e-detail");
        var missing = await client.GetAsync("/api/replication/executions/nope");

        var outcome = detail.GetProperty("vmOutcomes").EnumerateArray().Single();
        outcome.GetProperty("vmName").GetString().Should().Be(TestApp.XssVmName);
        outcome.GetProperty("kind").GetString().Should().Be("JobFailed");
        outcome.GetProperty("reason").GetString().Should().Be("disk <full>");
        outcome.GetProperty("jobId").GetString().Should().Be("job-e-detail");
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "execution-not-found");
    }

    [Fact]
    public async Task Vm_HasItsJobHistory_AndAnUnknownVm_IsA404Problem()
    {
        await SeedExecutionAsync("e-vm", Start.AddHours(-2), ExecutionStatus.Completed);
        using var client = _app.CreateClient();

        var vm = await client.GetFromJsonAsync<JsonElement>("/api/replication/vms/ctx-xss");
        var missing = await client.GetAsync("/api/replication/vms/nope");

        vm.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("executionId").GetString()).Should().Equal("e-vm");
        vm.GetProperty("memberships").EnumerateArray().Single().GetProperty("groupId").GetString().Should().Be("legacy");
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "vm-not-found");
    }

    [Fact]
    public async Task Preview_ListsOccurrences_AndARangeOver366Days_IsA400Problem()
    {
        using var client = _app.CreateClient();

        var preview = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/preview?from=2026-03-28T00:00:00Z&until=2026-03-30T00:00:00Z");
        var tooLong = await client.GetAsync("/api/replication/preview?from=2026-01-01T00:00:00Z&until=2027-06-01T00:00:00Z");
        var missing = await client.GetAsync("/api/replication/schedules/nope/preview");

        preview.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("scheduledFor").GetDateTimeOffset())
            .Should().Equal(new DateTimeOffset(2026, 3, 28, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.Zero));
        preview.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("dst").ValueKind).Should().OnlyContain(k => k == JsonValueKind.String, "enums are written as their names");
        await ShouldBeProblemAsync(tooLong, HttpStatusCode.BadRequest, "invalid-argument");
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "schedule-not-found");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi_AndNothingElse()
    {
        using var client = _app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/api/replication/openapi/replication-scheduling.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(["/api/replication/schedules", "/api/replication/executions/{executionId}", "/api/replication/schedules/{scheduleId}/trigger", "/api/replication/vms/{id}/pause"]);
        paths.Should().NotContain(p => p.StartsWith("/replication", StringComparison.Ordinal) || p.StartsWith("/test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_ListsTheNewestActionsFirst()
    {
        using var client = _app.CreateClient("dave");
        await client.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "one" });
        await client.PostAsJsonAsync("/api/replication/groups/web/resume", new { });

        var audit = await client.GetFromJsonAsync<JsonElement>("/api/replication/audit?limit=10");

        audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).Should().Equal("resume", "pause");
        audit[0].GetProperty("target").GetString().Should().Be("group 'web'");
        audit[0].GetProperty("outcome").GetString().Should().Be("Succeeded", "enums are written as their names");
    }

    internal static async Task<JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("type").GetString().Should().EndWith($"#problem-{type}");
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        File.ReadAllText(Path.Combine(DashboardBrowserTests.RepositoryRoot(), "docs", "dashboard.md")).Should().Contain($"<a id=\"problem-{type}\"></a>", "the problem's type links to its row in docs/dashboard.md");
        return problem;
    }

    private async Task SeedExecutionAsync(string id, DateTimeOffset startedAt, ExecutionStatus status) =>
        (await _app.Executions.TryCreateAsync(new ScheduleExecution
        {
            Id = id, ScheduleId = "archive", ScheduledFor = startedAt, TriggerKind = TriggerKind.Manual, TriggeredBy = "seed", StartedAt = startedAt,
            CompletedAt = startedAt.AddMinutes(1), Status = status,
            VmOutcomes =
            [
                new VmOutcome
                {
                    ContextId = "ctx-xss", VmName = TestApp.XssVmName, GroupId = "legacy", JobId = $"job-{id}", Attempts = 1,
                    Kind = status == ExecutionStatus.Completed ? VmOutcomeKind.JobCompleted : VmOutcomeKind.JobFailed,
                    Reason = status == ExecutionStatus.Completed ? null : "disk <full>", CompletedAt = startedAt.AddMinutes(1),
                },
            ],
        })).Should().BeTrue();
}
