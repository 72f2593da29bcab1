using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// Optimistic concurrency of the writes: a schedule's ETag is of its stored settings (not of its next occurrences), a
/// write with If-Match happens only while it matches (412 otherwise, audited as refused), and <c>*</c> needs the resource.
/// </summary>
public sealed class ConditionalWriteTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(time: _time);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TwoOperatorsEditingOneSchedule_TheSecondWriteIs412_NotASilentOverwrite()
    {
        using var alice = _app.CreateClient("alice");
        using var bob = _app.CreateClient("bob");
        var seenByAlice = ETag(await alice.GetAsync("/api/replication/schedules/nightly"));
        var seenByBob = ETag(await bob.GetAsync("/api/replication/schedules/nightly"));
        seenByBob.Should().Be(seenByAlice);

        var first = await PutAsync(alice, "/api/replication/schedules/nightly", seenByAlice, new { name = "Nightly production", cronExpression = "0 15 3 * * *", timeZone = "Europe/London" });
        var second = await PutAsync(bob, "/api/replication/schedules/nightly", seenByBob, new { name = "Nightly production", cronExpression = "0 45 3 * * *", timeZone = "Europe/London" });

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        ETag(first).Should().NotBe(seenByAlice).And.Be(ETag(await alice.GetAsync("/api/replication/schedules/nightly")), "the PUT answers with the new settings' tag");
        var problem = await SchedulingApiTests.ShouldBeProblemAsync(second, HttpStatusCode.PreconditionFailed, "precondition-failed");
        problem.GetProperty("detail").GetString().Should().Contain("has changed");
        (await _app.Store.GetScheduleAsync("nightly"))!.CronExpression.Should().Be("0 15 3 * * *", "alice's edit stands");
        _app.Audit.Records.Select(r => (r.Principal, r.Action, r.Outcome)).Should().BeEquivalentTo(
            [("alice", "update-schedule", AuditOutcome.Succeeded), ("bob", "update-schedule", AuditOutcome.Refused)]);
    }

    [Fact]
    public async Task TheETag_IsOfTheSettings_NotOfTheLiveFields()
    {
        using var client = _app.CreateClient();
        var before = await client.GetAsync("/api/replication/schedules/nightly");
        var next = (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("nextOccurrences")[0].GetProperty("utc").GetDateTimeOffset();

        _time.Advance(TimeSpan.FromDays(2));
        var after = await client.GetAsync("/api/replication/schedules/nightly");

        (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("summary").GetProperty("nextOccurrences")[0].GetProperty("utc").GetDateTimeOffset()
            .Should().BeAfter(next, "the representation moved on");
        ETag(after).Should().Be(ETag(before)).And.MatchRegex("^\"[0-9a-f]{32}\"$", "a strong tag");
        var renamed = await client.PutAsJsonAsync("/api/replication/schedules/nightly", new { name = "Nightly", cronExpression = "0 0 3 * * *", timeZone = "Europe/London" });
        ETag(renamed).Should().NotBe(ETag(before), "a write of the settings changes it");
    }

    [Fact]
    public async Task IfMatchStar_NeedsTheResource_AndAWeakOrUnparsableTagNeverMatches()
    {
        using var client = _app.CreateClient();
        var tag = ETag(await client.GetAsync("/api/replication/schedules/nightly"));
        var body = new { name = "Weekly", cronExpression = "0 0 5 * * 6" };

        var create = await PutAsync(client, "/api/replication/schedules/weekly", "*", body);
        var weak = await PutAsync(client, "/api/replication/schedules/nightly", $"W/{tag}", new { name = "Nightly production", cronExpression = "0 0 4 * * *" });
        var garbage = await PutAsync(client, "/api/replication/schedules/nightly", "not a tag", new { name = "Nightly production", cronExpression = "0 0 4 * * *" });
        var listed = await PutAsync(client, "/api/replication/schedules/nightly", $"\"0000\", {tag}", new { name = "Nightly production", cronExpression = "0 0 4 * * *", timeZone = "Europe/London" });
        var star = await PutAsync(client, "/api/replication/schedules/nightly", "*", new { name = "Nightly production", cronExpression = "0 0 5 * * *", timeZone = "Europe/London" });

        (await SchedulingApiTests.ShouldBeProblemAsync(create, HttpStatusCode.PreconditionFailed, "precondition-failed")).GetProperty("detail").GetString().Should().Contain("does not exist");
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull();
        await SchedulingApiTests.ShouldBeProblemAsync(weak, HttpStatusCode.PreconditionFailed, "precondition-failed");
        await SchedulingApiTests.ShouldBeProblemAsync(garbage, HttpStatusCode.PreconditionFailed, "precondition-failed");
        listed.StatusCode.Should().Be(HttpStatusCode.OK, "one of the tags listed matches");
        star.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _app.Store.GetScheduleAsync("nightly"))!.CronExpression.Should().Be("0 0 5 * * *");
    }

    [Fact]
    public async Task DeleteSchedule_WithAStaleTag_Is412_AndWithTheCurrentOne_Deletes()
    {
        using var client = _app.CreateClient("carol");
        var tag = ETag(await client.GetAsync("/api/replication/schedules/archive"));
        await client.PutAsJsonAsync("/api/replication/schedules/archive", new { name = "Archive", cronExpression = "0 0 4 * * *", enabled = false });

        var stale = await DeleteAsync(client, "/api/replication/schedules/archive", tag);
        var current = await DeleteAsync(client, "/api/replication/schedules/archive", ETag(await client.GetAsync("/api/replication/schedules/archive")));
        var gone = await DeleteAsync(client, "/api/replication/schedules/archive", "*");

        await SchedulingApiTests.ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        current.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await SchedulingApiTests.ShouldBeProblemAsync(gone, HttpStatusCode.PreconditionFailed, "precondition-failed");
        _app.Audit.Records.Select(r => (r.Action, r.Outcome)).Should().Equal(
            ("update-schedule", AuditOutcome.Succeeded), ("delete-schedule", AuditOutcome.Refused), ("delete-schedule", AuditOutcome.Succeeded), ("delete-schedule", AuditOutcome.Refused));
    }

    [Fact]
    public async Task Groups_AnswerTheirETag_AndHonourIfMatch_OnPutAndDelete()
    {
        using var client = _app.CreateClient();

        var unconditional = await client.PutAsJsonAsync("/api/replication/groups/web", new { name = "Web servers", scheduleId = "nightly", maxConcurrentVms = 3 });
        var tag = ETag(unconditional);
        var matching = await PutAsync(client, "/api/replication/groups/web", tag, new { name = "Web servers", scheduleId = "nightly", maxConcurrentVms = 4 });
        var stale = await PutAsync(client, "/api/replication/groups/web", tag, new { name = "Web servers", scheduleId = "nightly", maxConcurrentVms = 5 });
        var staleDelete = await DeleteAsync(client, "/api/replication/groups/web", tag);
        var delete = await DeleteAsync(client, "/api/replication/groups/web", ETag(matching));

        unconditional.StatusCode.Should().Be(HttpStatusCode.NoContent);
        matching.StatusCode.Should().Be(HttpStatusCode.NoContent);
        ETag(matching).Should().NotBe(tag);
        await SchedulingApiTests.ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        await SchedulingApiTests.ShouldBeProblemAsync(staleDelete, HttpStatusCode.PreconditionFailed, "precondition-failed");
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _app.Store.GetGroupsAsync("nightly")).Should().BeEmpty();
    }

    [Fact]
    public async Task AGroupOfNoSchedule_HasItsETagOnGet_AndIfMatchHoldsForIt()
    {
        using var client = _app.CreateClient();
        (await client.PutAsJsonAsync("/api/replication/groups/spare", new { name = "Spare", maxConcurrentVms = 2 })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var read = await client.GetAsync("/api/replication/groups/spare");
        var tag = ETag(read);
        var matching = await PutAsync(client, "/api/replication/groups/spare", tag, new { name = "Spare", maxConcurrentVms = 3 });
        var stale = await PutAsync(client, "/api/replication/groups/spare", tag, new { name = "Spare", maxConcurrentVms = 4 });

        read.StatusCode.Should().Be(HttpStatusCode.OK);
        matching.StatusCode.Should().Be(HttpStatusCode.NoContent);
        ETag(await client.GetAsync("/api/replication/groups/spare")).Should().Be(ETag(matching));
        await SchedulingApiTests.ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        (await _app.Store.GetGroupAsync("spare"))!.MaxConcurrentVms.Should().Be(3);
    }

    [Fact]
    public async Task WithoutIfMatch_AWriteIsUnconditional_AsBefore()
    {
        using var client = _app.CreateClient();

        (await client.PutAsJsonAsync("/api/replication/schedules/nightly", new { name = "Nightly production", cronExpression = "0 15 3 * * *" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ScheduleWriteApiTests.DeleteAsync(client, "/api/replication/groups/legacy")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    internal static string ETag(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} ({(int)response.StatusCode}) sent no ETag.");

    internal static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, path) { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}
