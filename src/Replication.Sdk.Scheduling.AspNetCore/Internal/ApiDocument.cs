using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Makes the API's OpenAPI document say what the API does, in this document only (the host's JSON options and its other
/// documents are untouched): the bodies the actions read themselves (so that a wrong content type or a bad body is an
/// audited refusal, not the framework's), enums as the names the API writes, and no HEAD operations (every GET answers
/// HEAD too; listing each twice would say nothing new and repeat every operation id).
/// </summary>
internal static class ApiDocument
{
    public static void Describe(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSchemaTransformer(EnumsAsNames);
        options.AddSchemaTransformer(StrictNumbers);
        options.AddSchemaTransformer(OptionalBodySettings);
        options.AddOperationTransformer(ActionBodyAsync);
        options.AddOperationTransformer(ConditionalHeaders);
        options.AddDocumentTransformer(WithoutHead);
    }

    /// <summary>Declares the JSON body an action reads itself (endpoint metadata only: routing still lets any content type reach the action's own check).</summary>
    public static RouteHandlerBuilder ReadsBody<TBody>(this RouteHandlerBuilder endpoint, bool required = false) =>
        endpoint.WithMetadata(new ActionBody(typeof(TBody), required));

    /// <summary>Declares an <c>If-Match</c> header the write honours, and (with <paramref name="answersTag"/>) the <c>ETag</c> its success answers.</summary>
    public static RouteHandlerBuilder Conditional(this RouteHandlerBuilder endpoint, bool answersTag) =>
        endpoint.WithMetadata(new TagUse(HonoursIfMatch: true, AnswersTag: answersTag));

    /// <summary>Declares the <c>ETag</c> a read answers (what a write's <c>If-Match</c> names).</summary>
    public static RouteHandlerBuilder AnswersTag(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new TagUse(HonoursIfMatch: false, AnswersTag: true));

    /// <summary>
    /// The bodies' enum settings are strings the API reads by name (case-insensitively): their names, declared, so a
    /// client generated from the document offers the values the API takes.
    /// </summary>
    private static readonly Dictionary<(Type Body, string Property), Type> BodyEnums = new()
    {
        [(typeof(ScheduleRequest), "kind")] = typeof(ScheduleKind),
        [(typeof(ScheduleRequest), "replicationType")] = typeof(Replication.Sdk.Jobs.ReplicationType),
        [(typeof(ScheduleRequest), "overlapPolicy")] = typeof(OverlapPolicy),
        [(typeof(ScheduleRequest), "misfirePolicy")] = typeof(MisfirePolicy),
        [(typeof(ScheduleRequest), "outsideWindowPolicy")] = typeof(OutsideWindowPolicy),
    };

    /// <summary>
    /// The API reads numbers only as JSON numbers (<c>JsonNumberHandling.Strict</c>); the document's generator follows the
    /// host's web defaults, which allow strings too, and would say <c>"5"</c> is accepted.
    /// </summary>
    private static Task StrictNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Every setting of an action's body may be left out (it takes its default), though the records that read them take
    /// each as a constructor parameter, which the generator declares required; only a blackout's two ends are needed.
    /// </summary>
    private static Task OptionalBodySettings(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(BlackoutRequest))
        {
            schema.Required = new HashSet<string>(StringComparer.Ordinal) { "from", "to" };
        }
        else if (type == typeof(ScheduleRequest) || type == typeof(GroupRequest) || type == typeof(MemberRequest)
            || type == typeof(TriggerRequest) || type == typeof(PauseRequest) || type == typeof(ResumeRequest))
        {
            schema.Required?.Clear();
        }

        foreach (var ((body, property), enumType) in BodyEnums)
        {
            if (type == body && schema.Properties?.TryGetValue(property, out var value) == true && value is OpenApiSchema settingSchema)
            {
                settingSchema.Enum = [.. Enum.GetNames(enumType).Select(name => (JsonNode)JsonValue.Create(name)!)];
            }
        }

        return Task.CompletedTask;
    }

    private static Task ConditionalHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<TagUse>().LastOrDefault() is not { } use)
        {
            return Task.CompletedTask;
        }

        if (use.HonoursIfMatch)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The ETag last read (or *: it must exist); the write happens only while it matches, else 412 precondition-failed.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (use.AnswersTag && operation.Responses is { } responses)
        {
            foreach (var (status, response) in responses)
            {
                if (status.StartsWith('2') && response is OpenApiResponse success)
                {
                    success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    success.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "A strong tag of the stored settings, for If-Match.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }

        return Task.CompletedTask;
    }

    private static Task EnumsAsNames(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var enumType = underlying ?? type;
        if (!enumType.IsEnum)
        {
            return Task.CompletedTask;
        }

        schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        schema.Format = null;
        schema.Enum = [.. Enum.GetNames(enumType).Select(name => (JsonNode)JsonValue.Create(name)!)];
        return Task.CompletedTask;
    }

    private static async Task ActionBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ActionBody>().LastOrDefault() is not { } body)
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = body.Required,
            Description = body.Required
                ? "JSON, with Content-Type: application/json."
                : "JSON, with Content-Type: application/json; {} (or no body) takes every default.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
            },
        };
    }

    private static Task WithoutHead(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var path in document.Paths.Values)
        {
            path.Operations?.Remove(HttpMethod.Head);
        }

        return Task.CompletedTask;
    }

    /// <summary>How an endpoint uses entity tags.</summary>
    private sealed record TagUse(bool HonoursIfMatch, bool AnswersTag);

    /// <summary>The body an action reads: its type and whether it may be left out.</summary>
    private sealed record ActionBody(Type Type, bool Required);
}
