using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The OpenAPI document says what the API does: the actions' bodies, enums as the names it writes, no HEAD twins.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        using var client = _app.CreateClient();
        _document = await client.GetFromJsonAsync<JsonElement>("/api/replication/openapi/replication-scheduling.json");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/replication/schedules/{scheduleId}/trigger", "post", false, new[] { "reason", "force" })]
    [InlineData("/api/replication/schedules/{id}/pause", "post", false, new[] { "reason", "resumeAt" })]
    [InlineData("/api/replication/groups/{id}/resume", "post", false, new string[] { })]
    [InlineData("/api/replication/schedules/{scheduleId}", "put", true, new[] { "name", "cronExpression", "maxConcurrentJobs", "blackouts", "rpoTarget" })]
    [InlineData("/api/replication/groups/{groupId}", "put", true, new[] { "name", "scheduleId", "maxConcurrentVms", "priority" })]
    [InlineData("/api/replication/groups/{groupId}/members/{contextId}", "put", false, new[] { "enabled", "priority" })]
    public void AnAction_DeclaresItsJsonBody(string path, string method, bool required, string[] properties)
    {
        var body = _document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody");

        body.TryGetProperty("required", out var r).Should().Be(required);
        if (required)
        {
            r.GetBoolean().Should().BeTrue();
        }

        var schema = Resolve(body.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Types(schema).Should().Contain("object", schema.GetRawText());
        var declared = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(o => o.Name).ToList() : [];
        if (properties.Length == 0)
        {
            declared.Should().BeEmpty();
        }
        else
        {
            declared.Should().Contain(properties);
        }
    }

    [Fact]
    public void Enums_AreDeclaredAsTheNamesTheApiWrites()
    {
        var audit = Resolve(Resolve(_document.GetProperty("paths").GetProperty("/api/replication/audit").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema")).GetProperty("items"));
        var outcome = Resolve(audit.GetProperty("properties").GetProperty("outcome"));

        Types(outcome).Should().Contain("string").And.NotContain("integer");
        outcome.GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Should().Equal(Enum.GetNames<AuditOutcome>());
        EnumValues(_document).Should().NotBeEmpty().And.OnlyContain(v => v.ValueKind == JsonValueKind.String || v.ValueKind == JsonValueKind.Null, "no enum anywhere is declared as its numbers");
    }

    [Fact]
    public void ABodysSettings_AreOptional_NumbersAreNumbers_AndEnumSettingsListTheirNames()
    {
        var schedule = Body("/api/replication/schedules/{scheduleId}", "put");

        (schedule.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(e => e.GetString()) : []).Should().BeEmpty("every setting left out takes its default");
        Types(schedule.GetProperty("properties").GetProperty("maxConcurrentJobs")).Should().Contain("integer").And.NotContain("string", "\"5\" is refused");
        schedule.GetProperty("properties").GetProperty("overlapPolicy").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Should().Equal(Enum.GetNames<OverlapPolicy>());
        var blackout = Resolve(schedule.GetProperty("properties").GetProperty("blackouts").GetProperty("items"));
        blackout.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo(["from", "to"]);
        (Body("/api/replication/schedules/{scheduleId}/trigger", "post").TryGetProperty("required", out var trigger) ? trigger.GetArrayLength() : 0).Should().Be(0);
    }

    [Theory]
    [InlineData("/api/replication/schedules/{scheduleId}", "put", "200", true)]
    [InlineData("/api/replication/schedules/{scheduleId}", "delete", "204", false)]
    [InlineData("/api/replication/groups/{groupId}", "put", "204", true)]
    [InlineData("/api/replication/groups/{groupId}", "delete", "204", false)]
    public void AConditionalWrite_DeclaresIfMatch_ItsSuccess_AndTheETagItAnswers(string path, string method, string success, bool answersTag)
    {
        var operation = _document.GetProperty("paths").GetProperty(path).GetProperty(method);

        operation.GetProperty("parameters").EnumerateArray().Should().Contain(p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header");
        var response = operation.GetProperty("responses").GetProperty(success);
        (response.TryGetProperty("headers", out var headers) && headers.TryGetProperty("ETag", out _)).Should().Be(answersTag);
        operation.GetProperty("responses").TryGetProperty("412", out _).Should().BeTrue();
        if (method == "delete")
        {
            operation.TryGetProperty("requestBody", out _).Should().BeTrue("a DELETE takes {} with Content-Type: application/json, like every action");
        }
    }

    [Theory]
    [InlineData("/api/replication/schedules/{scheduleId}")]
    [InlineData("/api/replication/groups/{groupId}")]
    public void AReadOfOne_DeclaresItsETag_AndIts404(string path)
    {
        var responses = _document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses");

        responses.GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _).Should().BeTrue();
        responses.TryGetProperty("404", out _).Should().BeTrue();
    }

    private JsonElement Body(string path, string method) =>
        Resolve(_document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    [Fact]
    public void TheHostsJsonOptions_AreUntouched()
    {
        var options = _app.App.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        options.Converters.Should().NotContain(c => c is JsonStringEnumConverter);
    }

    [Fact]
    public void NoOperation_IsListedTwice_ForHead()
    {
        _document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => o.Name)).Should().NotContain("head");
        _document.GetProperty("paths").GetProperty("/api/replication/schedules").GetProperty("get").GetProperty("operationId").GetString().Should().Be("ListSchedules");
    }

    private static IEnumerable<string?> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? [] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()) : [type.GetString()];

    private static IEnumerable<JsonElement> EnumValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "enum" && p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray() : EnumValues(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(EnumValues),
        _ => [],
    };

    private JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return _document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        // A nullable reference may be written as a one-of with null.
        return schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().FirstOrDefault(s => s.TryGetProperty("$ref", out _)) is { ValueKind: JsonValueKind.Object } target
            ? Resolve(target)
            : schema;
    }
}
