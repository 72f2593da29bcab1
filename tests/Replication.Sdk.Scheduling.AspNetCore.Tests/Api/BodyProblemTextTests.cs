using System.Net;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// From a fresh-eyes attack: a body that does not read is described in an operator's words (what the setting takes, where),
/// never with the .NET type names of System.Text.Json's own messages, and never with a value of the request.
/// </summary>
public sealed class BodyProblemTextTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","retryDelay":5}""", "$.retryDelay", "a span")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","maxConcurrentJobs":"5"}""", "$.maxConcurrentJobs", "a whole number")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","maxConcurrentJobs":1.5}""", "$.maxConcurrentJobs", "a whole number")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","enabled":"yes"}""", "$.enabled", "true or false")]
    [InlineData("""{"name":7,"cronExpression":"0 2 * * *"}""", "$.name", "a string")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","overlapPolicy":7}""", "$.overlapPolicy", "a string")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","blackouts":{"from":"x"}}""", "$.blackouts", "an array")]
    [InlineData("""{"name":"W","cronExpression":"0 2 * * *","blackouts":[7]}""", "$.blackouts[0]", "an object")]
    public async Task PutSchedule_WithAValueOfTheWrongKind_SaysWhatTheSettingTakes_NamingNoType(string body, string path, string takes)
    {
        using var client = _app.CreateClient("alice");

        var response = await WriteBodyValidationTests.PutJsonAsync(client, "/api/replication/schedules/weekly", body);

        var detail = (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body")).GetProperty("detail").GetString()!;
        detail.Should().Contain(path).And.Contain(takes);
        NamesNoType(detail);
        (await _app.Store.GetScheduleAsync("weekly")).Should().BeNull("nothing was written");
        _app.Audit.Records.Should().ContainSingle().Which.Detail.Should().Be(detail, "the audit record says what the answer said");
    }

    [Theory]
    [InlineData("{\"name\":\"W\",")]
    [InlineData("{\"name\":\"W\" \"x\":1}")]
    [InlineData("{\"name\":\"W\",\"name\":\"V\"}")]
    public async Task PutSchedule_WithBrokenJson_KeepsTheReadersOwnWords(string body)
    {
        using var client = _app.CreateClient("alice");

        var response = await WriteBodyValidationTests.PutJsonAsync(client, "/api/replication/schedules/weekly", body);

        var detail = (await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-body")).GetProperty("detail").GetString()!;
        detail.Should().StartWith("The body is not valid JSON for this action:").And.Contain("$");
        NamesNoType(detail);
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

            var response = await WriteBodyValidationTests.PutJsonAsync(client, $"/api/replication/schedules/fuzz{i}", $$"""{"name":"Fuzz {{i}}","cronExpression":"0 2 * * *","{{setting}}":{{value}}}""");

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
}
