using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// What a write's body and route must be, from fresh-eyes attacks: instants with their offset, numbers as JSON numbers,
/// ids a store can hold, IANA zones. Each refusal is a 400 naming the field, one audit record, and nothing written; a body
/// that does not read is described in an operator's words (what the setting takes, where), never with the .NET type
/// names of System.Text.Json's own messages, and never with a value of the request.
/// </summary>
public sealed class WriteBodyValidationTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("2026-12-05T00:00:00", "2026-12-06T00:00:00Z", "$.blackouts[0].from")]
    [InlineData("2026-12-05T00:00:00Z", "2026-12-06T00:00:00", "$.blackouts[0].to")]
    [InlineData("2026-12-05", "2026-12-06T00:00:00Z", "$.blackouts[0].from")]
    [InlineData("2026-12-05T00:00:00Z", "2026-12-06 00:00", "$.blackouts[0].to")]
    public async Task PutSchedule_WithABlackoutInstantWithoutOffset_Is400NamingTheField_AuditedAsRefused(string from, string to, string field)
    {
        using var client = _app.CreateClient("alice");

        var response = await PutJsonAsync(client, "/api/replication/schedules/weekly",
            $$"""{"name":"Weekly","cronExpression":"0 30 2 * * 0","blackouts":[{"from":"{{from}}","to":"{{to}}","reason":"x"}]}""");

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body");
        problem.GetProperty("detail").GetString().Should().Contain(field).And.Contain("offset");
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull("nothing was written");
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "alice", Action = "update-schedule", Outcome = AuditOutcome.Refused });
    }

    [Fact]
    public async Task PutSchedule_WithOffsets_KeepsThoseInstants_AndABlackoutWithoutItsEnd_IsInvalid()
    {
        using var client = _app.CreateClient();

        var ok = await PutJsonAsync(client, "/api/replication/schedules/weekly",
            """{"name":"Weekly","cronExpression":"0 30 2 * * 0","blackouts":[{"from":"2026-12-05T00:00:00+01:00","to":"2026-12-06T00:00:00Z"}]}""");
        var open = await PutJsonAsync(client, "/api/replication/schedules/open", """{"name":"Open","cronExpression":"0 30 2 * * 0","blackouts":[{"from":"2026-12-05T00:00:00Z"}]}""");

        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _app.Store.GetScheduleAsync("weekly"))!.Blackouts.Should().ContainSingle().Which.Should().Be(
            new BlackoutPeriod(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), null));
        var problem = await SchedulingApiTests.ShouldBeProblemAsync(open, HttpStatusCode.BadRequest, "invalid-schedule");
        problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Contain("blackouts[0] needs both from and to");
    }

    [Theory]
    [InlineData("/api/replication/schedules/weekly", """{"name":"Weekly","cronExpression":"0 2 * * *","maxConcurrentJobs":"5"}""", "update-schedule", "$.maxConcurrentJobs")]
    [InlineData("/api/replication/schedules/weekly", """{"name":"Weekly","cronExpression":"0 2 * * *","osseaConfigId":"7"}""", "update-schedule", "$.osseaConfigId")]
    [InlineData("/api/replication/groups/db", """{"name":"Databases","scheduleId":"nightly","maxConcurrentVms":"1"}""", "update-group", "$.maxConcurrentVms")]
    [InlineData("/api/replication/groups/web/members/ctx-vm001", """{"priority":"3"}""", "add-member", "$.priority")]
    public async Task AWrite_WithANumberAsAString_Is400InvalidBody_AuditedAsRefused(string path, string body, string action, string field)
    {
        using var client = _app.CreateClient("alice");

        var response = await PutJsonAsync(client, path, body);

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body");
        problem.GetProperty("detail").GetString().Should().Contain(field);
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Action = action, Outcome = AuditOutcome.Refused });
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull();
        (await _app.Store.GetMembershipsAsync(["web"])).Should().OnlyContain(m => m.Priority < 2, "nothing was written");
    }

    [Fact]
    public async Task ABody_NamingASettingTwice_Is400InvalidBody_NotTheLastOneWins()
    {
        using var client = _app.CreateClient("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/replication/schedules/nightly/trigger")
        {
            Content = new StringContent("""{"force":false,"force":true}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await client.SendAsync(request);

        (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body")).GetProperty("detail").GetString().Should().Contain("force");
        _app.Executions.All.Should().BeEmpty("nothing was triggered, forced or not");
    }

    [Fact]
    public async Task StrictReading_LeavesWhatTheApiWrites_AsTheWebDefaultsWroteIt()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var forecast = await _app.App.Services.GetRequiredService<IRpoForecaster>().ForecastAsync("nightly", TimeSpan.FromDays(1));
        var preview = await _app.Scheduler.PreviewAsync("nightly", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(3));
        var record = new AuditRecord
        {
            Id = "a1", At = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.FromHours(1)), Principal = "alice", Action = "trigger", Target = "schedule 'nightly'",
            Outcome = AuditOutcome.Refused, Detail = "x", Channel = "api",
        };

        JsonSerializer.Serialize(forecast, ApiJson.Default.RpoForecast).Should().Be(JsonSerializer.Serialize(forecast, web));
        JsonSerializer.Serialize(preview, ApiJson.Default.SchedulePreview).Should().Be(JsonSerializer.Serialize(preview, web));
        JsonSerializer.Serialize<IReadOnlyList<AuditRecord>>([record], ApiJson.Default.IReadOnlyListAuditRecord).Should().Be(JsonSerializer.Serialize<IReadOnlyList<AuditRecord>>([record], web));
        JsonSerializer.Serialize(forecast, ApiJson.Default.RpoForecast).Should().Contain("\"compliancePercent\":").And.NotContain("\"compliancePercent\":\"");
    }

    [Theory]
    [InlineData("/api/replication/schedules/bad%0Aid", "scheduleId", "U+000A")]
    [InlineData("/api/replication/schedules/bad%1B%5B31m", "scheduleId", "U+001B")]
    [InlineData("/api/replication/schedules/%20padded", "scheduleId", "white space")]
    [InlineData("/api/replication/schedules/padded%09", "scheduleId", "U+0009")]
    [InlineData("/api/replication/schedules/padded%C2%A0", "scheduleId", "white space")]
    [InlineData("/api/replication/schedules/zero%E2%80%8Bwidth", "scheduleId", "U+200B")]
    [InlineData("/api/replication/schedules/{5000}", "scheduleId", "5000 characters")]
    [InlineData("/api/replication/schedules/{65}", "scheduleId", "at most 64")]
    [InlineData("/api/replication/groups/{65}", "groupId", "at most 64")]
    [InlineData("/api/replication/groups/bad%0Did", "groupId", "U+000D")]
    [InlineData("/api/replication/groups/web%20", "groupId", "white space")]
    [InlineData("/api/replication/groups/web/members/{192}", "contextId", "at most 191")]
    [InlineData("/api/replication/groups/web/members/ctx%0Avm", "contextId", "U+000A")]
    [InlineData("/api/replication/groups/web/members/%20ctx-vm001", "contextId", "white space")]
    [InlineData("/api/replication/groups/bad%0A/members/ctx-vm001", "groupId", "U+000A")]
    public async Task AWrite_OfAnIdNoStoreCanHold_Is400InvalidId_NamingWhichAndWhy_AuditedAsRefused(string path, string parameter, string why)
    {
        using var client = _app.CreateClient("alice");
        path = path.Replace("{5000}", new string('s', 5000), StringComparison.Ordinal).Replace("{65}", new string('s', 65), StringComparison.Ordinal)
            .Replace("{192}", new string('c', 192), StringComparison.Ordinal);

        var response = await client.PutAsJsonAsync(path, new { name = "Odd", cronExpression = "0 2 * * *" });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-id");
        problem.GetProperty("parameter").GetString().Should().Be(parameter);
        problem.GetProperty("detail").GetString().Should().Contain(parameter).And.Contain(why);
        problem.GetProperty("detail").GetString()!.Length.Should().BeLessThan(300, "the id itself is not echoed");
        var record = _app.Audit.Records.Should().ContainSingle().Subject;
        record.Outcome.Should().Be(AuditOutcome.Refused);
        record.Detail.Should().Contain(why);
        record.Target.Should().NotContainAny(["\n", "\r", "\t"], "the record's target is escaped: one line whatever the id");
        (await _app.Store.GetSchedulesAsync()).Select(s => s.Id).Should().BeEquivalentTo(["nightly", "archive"], "nothing was written");
        (await _app.Store.GetMembershipsAsync(["web"])).Should().HaveCount(2);
    }

    [Fact]
    public async Task AWrite_OfAnIdAtTheLimit_IsAccepted()
    {
        using var client = _app.CreateClient();
        var id = new string('s', 64);

        (await client.PutAsJsonAsync($"/api/replication/schedules/{id}", new { name = "Longest", cronExpression = "0 2 * * *" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PutAsJsonAsync($"/api/replication/groups/{id}", new { name = "Longest", scheduleId = id })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await _app.Store.GetGroupsAsync(id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AGroup_NamingAScheduleIdNoStoreCanHold_Is400InvalidId()
    {
        using var client = _app.CreateClient();

        var response = await client.PutAsJsonAsync("/api/replication/groups/db", new { name = "Databases", scheduleId = "nightly\n" });

        (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-id")).GetProperty("parameter").GetString().Should().Be("scheduleId");
    }

    [Theory]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    public async Task PutSchedule_WithAWindowsZoneId_Is400NamingTheIanaIdToUse_NothingWritten(string windows, string iana)
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PutAsJsonAsync("/api/replication/schedules/weekly", new { name = "Weekly", cronExpression = "0 2 * * *", timeZone = windows });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-schedule");
        problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().ContainSingle(p => p!.Contains($"'{windows}' is a Windows time zone id") && p.Contains($"use '{iana}'"));
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull();
        (await client.PutAsJsonAsync("/api/replication/schedules/weekly", new { name = "Weekly", cronExpression = "0 2 * * *", timeZone = iana })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PutAsJsonAsync("/api/replication/schedules/utc", new { name = "Utc", cronExpression = "0 2 * * *", timeZone = "UTC" })).StatusCode.Should().Be(HttpStatusCode.OK, "UTC is an IANA id too");
    }

    [Theory]
    [InlineData("/api/replication/schedules/a%2Fb")]
    [InlineData("/api/replication/schedules/a%252Fb")]
    [InlineData("/api/replication/groups/50%25")]
    public async Task AWrite_ToAnIdWithASlashOrPercent_Is400InvalidId_BothEncodingsAlike(string path)
    {
        using var client = _app.CreateClient("alice");

        var response = await client.PutAsJsonAsync(path, new { name = "Odd", cronExpression = "0 2 * * *", scheduleId = "nightly" });

        (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-id")).GetProperty("detail").GetString().Should().Contain("URL path");
        _app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
    }

    [Theory]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","retryDelay":5}""", "$.retryDelay", "a span")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","maxConcurrentJobs":"5"}""", "$.maxConcurrentJobs", "a whole number")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","maxConcurrentJobs":1.5}""", "$.maxConcurrentJobs", "a whole number")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","enabled":"yes"}""", "$.enabled", "true or false")]
    [InlineData("""{"name":7,"cronExpression":"0 2 * * *"}""", "$.name", "a string")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","overlapPolicy":7}""", "$.overlapPolicy", "a string")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","blackouts":{"from":"x"}}""", "$.blackouts", "an array")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","blackouts":[7]}""", "$.blackouts[0]", "an object")]
    [InlineData("{\"name\":\"W\",", "$", "The body is not valid JSON for this action:")] // the reader's own words: they name no type
    [InlineData("{\"name\":\"W\" \"x\":1}", "$", "The body is not valid JSON for this action:")]
    [InlineData("{\"name\":\"W\",\"name\":\"V\"}", "$", "The body is not valid JSON for this action:")]
    public async Task PutSchedule_WithAValueOfTheWrongKind_SaysWhatTheSettingTakes_NamingNoType(string body, string path, string takes)
    {
        using var client = _app.CreateClient("alice");

        var response = await PutJsonAsync(client, "/api/replication/schedules/weekly", body);

        var detail = (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body")).GetProperty("detail").GetString()!;
        detail.Should().Contain(path).And.Contain(takes);
        NamesNoType(detail);
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull("nothing was written");
        _app.Audit.Records.Should().ContainSingle().Which.Detail.Should().Be(detail, "the audit record says what the answer said");
    }

    /// <summary>Seeded random bodies of every JSON kind in every setting: no answer names a type or repeats the value sent.</summary>
    [Fact]
    public async Task RandomValuesInEverySetting_NeverNameATypeOrEchoTheValue()
    {
        string[] settings = ["name", "kind", "cronExpression", "timeZone", "enabled", "replicationType", "maxConcurrentJobs", "retryAttempts", "retryDelay", "overlapPolicy",
            "misfirePolicy", "startingDeadline", "spread", "window", "outsideWindowPolicy", "blackouts", "rpoTarget", "osseaConfigId", "targetNetwork"];
        string[] values = ["\"SECRET-ECHO\"", "7000000001", "-1.25e3", "true", "[\"SECRET-ECHO\"]", "{\"SECRET-ECHO\":1}", "[{\"from\":\"SECRET-ECHO\"}]", "\"\\u0000SECRET-ECHO\""];
        var random = new Random(20261207);
        using var client = _app.CreateClient("alice");
        var refused = 0;
        for (var i = 0; i < 120; i++)
        {
            var setting = settings[random.Next(settings.Length)];
            var value = values[random.Next(values.Length)];

            var response = await PutJsonAsync(client, $"/api/replication/schedules/fuzz{i}", $$"""{"name":"Fuzz {{i}}","cronExpression":"0 2 * * *","{{setting}}":{{value}}}""");

            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.BadRequest && JsonDocument.Parse(text).RootElement.GetProperty("type").GetString()!.EndsWith("invalid-body", StringComparison.Ordinal))
            {
                refused++;
                var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
                NamesNoType(detail);
                detail.Should().NotContain("SECRET-ECHO", $"{setting}: {value} is the request's own value");
            }
        }

        refused.Should().BeGreaterThan(40, "most of these values are of the wrong kind for their setting");
    }

    private static void NamesNoType(string detail) =>
        detail.Should().NotContainAny(["System.", "Replication.", "Microsoft.", "Nullable", "`1", "Request'", "type '"]);

    internal static Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
