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
        options.AddOperationTransformer(ActionBodyAsync);
        options.AddDocumentTransformer(WithoutHead);
    }

    /// <summary>Declares the JSON body an action reads itself (endpoint metadata only: routing still lets any content type reach the action's own check).</summary>
    public static RouteHandlerBuilder ReadsBody<TBody>(this RouteHandlerBuilder endpoint, bool required = false) =>
        endpoint.WithMetadata(new ActionBody(typeof(TBody), required));

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

    /// <summary>The body an action reads: its type and whether it may be left out.</summary>
    private sealed record ActionBody(Type Type, bool Required);
}
