using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The RPO forecast and state through the API: the forecaster's answer, its refusals as problem details.</summary>
public sealed class ForecastApiTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("", 24)]
    [InlineData("?horizon=P7D", 168)]
    [InlineData("?horizon=pt12h", 12)]
    [InlineData("?horizon=2.00:00:00", 48)]
    public async Task Forecast_OfAScheduleWithAnRpoTarget_CoversTheHorizon_ForEveryVm(string query, int hours)
    {
        using var client = _app.CreateClient();

        var body = await client.GetFromJsonAsync<JsonElement>($"/api/replication/schedules/nightly/forecast{query}");

        body.GetProperty("scheduleId").GetString().Should().Be("nightly");
        body.GetProperty("rpoTarget").GetString().Should().Be("1.02:00:00");
        TimeSpan.Parse(body.GetProperty("horizon").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Should().Be(TimeSpan.FromHours(hours));
        body.GetProperty("vms").EnumerateArray().Select(v => v.GetProperty("contextId").GetString()).Should().BeEquivalentTo(["ctx-vm001", "ctx-vm002"]);
        body.GetProperty("groups").EnumerateArray().Should().ContainSingle().Which.GetProperty("groupId").GetString().Should().Be("web");
    }

    [Fact]
    public async Task AnRpoSchedule_IsListedWithItsKind_AndNoOccurrences_NotAsAnInvalidCron()
    {
        _app.Store.Upsert(new ReplicationSchedule { Id = "rpo-4h", Name = "RPO four hours", Kind = ScheduleKind.Rpo, CronExpression = "", RpoTarget = TimeSpan.FromHours(4) });
        using var client = _app.CreateClient();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules");
        var detail = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/rpo-4h");
        var page = await client.GetStringAsync("/replication/schedules/rpo-4h");

        var rpo = list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "rpo-4h");
        rpo.GetProperty("kind").GetString().Should().Be("Rpo");
        rpo.GetProperty("problem").ValueKind.Should().Be(JsonValueKind.Null);
        rpo.GetProperty("nextOccurrences").GetArrayLength().Should().Be(0);
        list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "nightly").GetProperty("kind").GetString().Should().Be("Cron");
        detail.GetProperty("summary").GetProperty("problem").ValueKind.Should().Be(JsonValueKind.Null);
        page.Should().Contain("RPO target").And.NotContain("the expression is empty");
    }

    [Fact]
    public async Task RpoStatus_ListsEveryVmWithItsState()
    {
        using var client = _app.CreateClient();

        var body = await client.GetFromJsonAsync<JsonElement>("/api/replication/schedules/nightly/rpo");

        body.EnumerateArray().Select(v => v.GetProperty("state").GetString()).Should().HaveCount(2).And.OnlyContain(s => s == "Meeting" || s == "AtRisk" || s == "Breached");
    }

    [Theory]
    [InlineData("/api/replication/schedules/archive/forecast", HttpStatusCode.BadRequest, "invalid-schedule")]
    [InlineData("/api/replication/schedules/nope/forecast", HttpStatusCode.NotFound, "schedule-not-found")]
    [InlineData("/api/replication/schedules/nope/rpo", HttpStatusCode.NotFound, "schedule-not-found")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=P32D", HttpStatusCode.BadRequest, "invalid-argument")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=-1.00:00:00", HttpStatusCode.BadRequest, "invalid-argument")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=00:00:00", HttpStatusCode.BadRequest, "invalid-argument")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=a%20week", HttpStatusCode.BadRequest, "invalid-argument")]
    [InlineData("/api/replication/schedules/nightly/forecast?horizon=P99999999999D", HttpStatusCode.BadRequest, "invalid-argument")]
    public async Task Forecast_BadRequests_AreProblems(string path, HttpStatusCode status, string type)
    {
        using var client = _app.CreateClient();

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(await client.GetAsync(path), status, type);

        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }
}
