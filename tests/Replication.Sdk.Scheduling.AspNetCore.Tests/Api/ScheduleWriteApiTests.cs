using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// The writes of schedules, groups and memberships on the in-memory store (writable): round trips through the reads,
/// the engine's own checks, and exactly one audit record per request whatever its outcome.
/// </summary>
public sealed class ScheduleWriteApiTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task PutSchedule_CreatesThenReplaces_VisibleThroughGet_AndAuditsEach()
    {
        using var client = _app.CreateClient("alice");

        var created = await client.PutAsJsonAsync("/api/replication/schedules/weekly", new
        {
            name = "Weekly file servers", cronExpression = "0 30 2 * * 0", timeZone = "Europe/Berlin", enabled = false, replicationType = "full",
            maxConcurrentJobs = 3, retryAttempts = 1, retryDelay = "00:05:00", overlapPolicy = "bufferOne", misfirePolicy = "Skip", window = "Sat,Sun 00:00-24:00",
            blackouts = new[] { new { from = "2026-12-24T00:00:00Z", to = "2026-12-27T00:00:00Z", reason = "holidays" } },
        });

        created.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("summary").GetProperty("name").GetString().Should().Be("Weekly file servers");
        var stored = await _app.Store.GetScheduleAsync("weekly");
        stored.Should().Be(new ReplicationSchedule
        {
            Id = "weekly", Name = "Weekly file servers", CronExpression = "0 30 2 * * 0", TimeZone = "Europe/Berlin", Enabled = false,
            ReplicationType = Jobs.ReplicationType.Full, MaxConcurrentJobs = 3, RetryAttempts = 1, RetryDelay = TimeSpan.FromMinutes(5),
            OverlapPolicy = OverlapPolicy.BufferOne, MisfirePolicy = MisfirePolicy.Skip, Window = ReplicationWindow.Parse("Sat,Sun 00:00-24:00"),
            Blackouts = [new BlackoutPeriod(new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 27, 0, 0, 0, TimeSpan.Zero), "holidays")],
        });

        var replaced = await client.PutAsJsonAsync("/api/replication/schedules/weekly", new { name = "Weekly", cronExpression = "0 0 5 * * 6" });

        replaced.StatusCode.Should().Be(HttpStatusCode.OK);
        var detail = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/weekly");
        detail.GetProperty("summary").GetProperty("cronExpression").GetString().Should().Be("0 0 5 * * 6");
        detail.GetProperty("summary").GetProperty("enabled").GetBoolean().Should().BeTrue("a PUT replaces the whole schedule: what is left out takes its default");
        detail.GetProperty("overlapPolicy").GetString().Should().Be("Skip");
        (await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules")).EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Contain("weekly");
        _app.Audit.Records.Should().HaveCount(2);
        _app.Audit.Records.Should().AllSatisfy(r => r.Should().BeEquivalentTo(new
        {
            Principal = "alice", Action = "update-schedule", Target = "schedule 'weekly'", Outcome = AuditOutcome.Succeeded, Channel = "api", ExecutionId = (string?)null,
        }));
        _app.Audit.Records.Select(r => r.Detail).Should().BeEquivalentTo(["name 'Weekly file servers'", "name 'Weekly'"]);
    }

    [Fact]
    public async Task PutSchedule_FiresTheStoresChangeToken_NamingIt()
    {
        using var client = _app.CreateClient();
        var token = (ScheduleChangeToken)_app.Store.GetChangeToken();

        (await client.PutAsJsonAsync("/api/replication/schedules/nightly", new { name = "Nightly production", cronExpression = "0 15 3 * * *", timeZone = "Europe/London" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        token.HasChanged.Should().BeTrue();
        token.ChangedScheduleIds.Should().Equal("nightly");
    }

    [Theory]
    [InlineData("61 * * * *", null, "61")]
    [InlineData("0 2 * * *", "Mon 25:00-26:00", "Window")]
    public async Task PutSchedule_Invalid_Is400WithTheProblems_AndAuditedAsRefused(string cron, string? window, string named)
    {
        using var client = _app.CreateClient("bob");

        var response = await client.PutAsJsonAsync("/api/replication/schedules/broken", new { name = "Broken", cronExpression = cron, window, maxConcurrentJobs = 0, overlapPolicy = "Sometimes" });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-schedule");
        problem.GetProperty("scheduleId").GetString().Should().Be("broken");
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        problems.Should().Contain(p => p.Contains(named, StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("OverlapPolicy 'Sometimes'", StringComparison.Ordinal));
        problem.GetProperty("detail").GetString().Should().Contain(problems[0]);
        (await _app.Store.GetScheduleAsync("broken")).Should().BeNull("nothing was written");
        var record = _app.Audit.Records.Should().ContainSingle().Subject;
        record.Should().BeEquivalentTo(new { Principal = "bob", Action = "update-schedule", Target = "schedule 'broken'", Outcome = AuditOutcome.Refused });
        record.Detail.Should().Contain("cannot run");
    }

    [Fact]
    public async Task PutSchedule_ThatFailsTheEnginesRules_ReportsEachOne()
    {
        using var client = _app.CreateClient();

        var response = await client.PutAsJsonAsync("/api/replication/schedules/broken", new { name = "Broken", cronExpression = "0 2 * * *", maxConcurrentJobs = 0, retryAttempts = 101 });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-schedule");
        problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Equal(
            "MaxConcurrentJobs must be between 1 and 100000 (was 0)", "RetryAttempts must be between 0 and 100 (was 101)");
    }

    [Fact]
    public async Task DeleteSchedule_RemovesIt_DetachesItsGroups_AndAnUnknownOneIs404()
    {
        using var client = _app.CreateClient("carol");

        (await DeleteAsync(client, "/api/replication/schedules/archive")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var missing = await DeleteAsync(client, "/api/replication/schedules/archive");

        (await client.GetAsync("/api/replication/schedules/archive")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await SchedulingApiTests.ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "schedule-not-found");
        _app.Audit.Records.Select(r => (r.Action, r.Target, r.Outcome)).Should().BeEquivalentTo(
            [("delete-schedule", "schedule 'archive'", AuditOutcome.Succeeded), ("delete-schedule", "schedule 'archive'", AuditOutcome.Refused)]);

        // The detached group can be given to another schedule.
        (await client.PutAsJsonAsync("/api/replication/groups/legacy", new { name = "Legacy", scheduleId = "nightly" })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var groups = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/groups");
        groups.EnumerateArray().Select(g => g.GetProperty("id").GetString()).Should().BeEquivalentTo(["web", "legacy"]);
    }

    [Fact]
    public async Task Groups_AndMembers_RoundTrip_ThroughTheReads()
    {
        using var client = _app.CreateClient("dave");

        (await client.PutAsJsonAsync("/api/replication/groups/db", new { name = "Databases", scheduleId = "nightly", maxConcurrentVms = 1, priority = -1 })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.PutAsJsonAsync("/api/replication/groups/db/members/ctx-vm001", new { priority = 3, enabled = false })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var db = (await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/groups")).EnumerateArray().Single(g => g.GetProperty("id").GetString() == "db");
        db.GetProperty("name").GetString().Should().Be("Databases");
        db.GetProperty("maxConcurrentVms").GetInt32().Should().Be(1);
        db.GetProperty("priority").GetInt32().Should().Be(-1);
        var member = db.GetProperty("members").EnumerateArray().Should().ContainSingle().Subject;
        member.GetProperty("contextId").GetString().Should().Be("ctx-vm001");
        member.GetProperty("enabled").GetBoolean().Should().BeFalse();
        member.GetProperty("priority").GetInt32().Should().Be(3);

        (await DeleteAsync(client, "/api/replication/groups/db/members/ctx-vm001")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await SchedulingApiTests.ShouldBeProblemAsync(await DeleteAsync(client, "/api/replication/groups/db/members/ctx-vm001"), HttpStatusCode.NotFound, "member-not-found");
        (await DeleteAsync(client, "/api/replication/groups/db")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await SchedulingApiTests.ShouldBeProblemAsync(await DeleteAsync(client, "/api/replication/groups/db"), HttpStatusCode.NotFound, "group-not-found");

        (await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/groups")).EnumerateArray().Select(g => g.GetProperty("id").GetString()).Should().Equal("web");
        _app.Audit.Records.Select(r => (r.Action, r.Target, r.Outcome, r.Detail)).Should().BeEquivalentTo(
        [
            ("update-group", "group 'db'", AuditOutcome.Succeeded, "schedule 'nightly'"),
            ("add-member", "group 'db'", AuditOutcome.Succeeded, "vm 'ctx-vm001'"),
            ("remove-member", "group 'db'", AuditOutcome.Succeeded, "vm 'ctx-vm001'"),
            ("remove-member", "group 'db'", AuditOutcome.Refused, "VM 'ctx-vm001' is not a member of group 'db'."),
            ("delete-group", "group 'db'", AuditOutcome.Succeeded, (string?)null),
            ("delete-group", "group 'db'", AuditOutcome.Refused, "No group has the id 'db'."),
        ]);
    }

    [Fact]
    public async Task UnknownTargets_OfGroupsAndMembers_Are404_AndAConflictingName_Is409()
    {
        using var client = _app.CreateClient();

        await SchedulingApiTests.ShouldBeProblemAsync(await client.PutAsJsonAsync("/api/replication/groups/g1", new { name = "G1", scheduleId = "nope" }), HttpStatusCode.NotFound, "schedule-not-found");
        await SchedulingApiTests.ShouldBeProblemAsync(await client.PutAsJsonAsync("/api/replication/groups/nope/members/ctx-vm001", new { }), HttpStatusCode.NotFound, "group-not-found");
        await SchedulingApiTests.ShouldBeProblemAsync(await client.PutAsJsonAsync("/api/replication/groups/web/members/ctx-nope", new { }), HttpStatusCode.NotFound, "vm-not-found");
        await SchedulingApiTests.ShouldBeProblemAsync(await client.PutAsJsonAsync("/api/replication/groups/web2", new { name = "Web servers" }), HttpStatusCode.Conflict, "write-conflict");
        await SchedulingApiTests.ShouldBeProblemAsync(await client.PutAsJsonAsync("/api/replication/groups/web", new { name = "Web", maxConcurrentVms = 0 }), HttpStatusCode.BadRequest, "invalid-schedule");

        _app.Audit.Records.Should().HaveCount(5).And.OnlyContain(r => r.Outcome == AuditOutcome.Refused);
        (await _app.Store.GetGroupsAsync("nightly")).Should().ContainSingle().Which.MaxConcurrentVms.Should().Be(2, "the refused write changed nothing");
    }

    [Theory]
    [InlineData("PUT", "/api/replication/schedules/nightly", "update-schedule", "schedule 'nightly'")]
    [InlineData("DELETE", "/api/replication/schedules/nightly", "delete-schedule", "schedule 'nightly'")]
    [InlineData("PUT", "/api/replication/groups/web", "update-group", "group 'web'")]
    [InlineData("DELETE", "/api/replication/groups/web", "delete-group", "group 'web'")]
    [InlineData("PUT", "/api/replication/groups/web/members/ctx-vm001", "add-member", "group 'web'")]
    [InlineData("DELETE", "/api/replication/groups/web/members/ctx-vm001", "remove-member", "group 'web'")]
    public async Task AWrite_ForbiddenByThePolicy_Is403_AndAuditedAsRefused(string method, string path, string action, string target)
    {
        using var viewer = _app.CreateClient("mallory", roles: "viewer");

        var response = await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x", cronExpression = "0 2 * * *" }) });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var record = _app.Audit.Records.Should().ContainSingle().Subject;
        record.Should().BeEquivalentTo(new { Principal = "mallory", Action = action, Target = target, Outcome = AuditOutcome.Refused, Channel = "api" });
        record.Detail.Should().Contain(TestApp.Policy);
        (await _app.Store.GetScheduleAsync("nightly"))!.CronExpression.Should().Be("0 0 3 * * *", "nothing was written");
    }

    [Fact]
    public async Task ADeleteWithoutJson_Is415_AndAuditedAsRefused()
    {
        using var client = _app.CreateClient("gina");

        var response = await client.DeleteAsync("/api/replication/groups/web");

        await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "json-required");
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "gina", Action = "delete-group", Target = "group 'web'", Outcome = AuditOutcome.Refused });
        (await _app.Store.GetGroupsAsync("nightly")).Should().ContainSingle("nothing was deleted");
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheWrites()
    {
        using var client = _app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/api/replication/openapi/replication-scheduling.json");

        var paths = document.GetProperty("paths");
        paths.GetProperty("/api/replication/schedules/{scheduleId}").EnumerateObject().Select(o => o.Name).Should().Contain(["get", "put", "delete"]);
        paths.GetProperty("/api/replication/groups/{groupId}").EnumerateObject().Select(o => o.Name).Should().Contain(["put", "delete"]);
        paths.GetProperty("/api/replication/groups/{groupId}/members/{contextId}").EnumerateObject().Select(o => o.Name).Should().Contain(["put", "delete"]);
    }

    /// <summary>A DELETE as an action must be sent: JSON (<c>{}</c>), like every action.</summary>
    internal static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = JsonContent.Create(new { }) });
}
