using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// What an API action request must be before it reaches the action: JSON (a cross-site form or a simple <c>fetch</c>
/// cannot send it without a CORS preflight, which the API never answers), from no foreign origin, with a body that reads.
/// Each refusal is a problem the caller audits.
/// </summary>
internal static class ApiRequest
{
    /// <summary>Refuses a request that is not JSON or that a browser sent from another origin.</summary>
    public static ProblemDetails? Refusal(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.HasJsonContentType())
        {
            return ProblemMapper.Create(StatusCodes.Status415UnsupportedMediaType, "json-required", "JSON required",
                "An action's request must have Content-Type: application/json (send {} for no options); other types are refused so that no cross-site form or simple request can act.");
        }

        // Browsers send Origin with every cross-origin POST; a client without a browser sends none, or its own.
        if (http.Request.Headers.Origin is { Count: > 0 } origin
            && !string.Equals(origin.ToString(), $"{http.Request.Scheme}://{http.Request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return ProblemMapper.Create(StatusCodes.Status403Forbidden, "cross-origin", "Cross-origin request refused",
                $"An action must come from the API's own origin; this request came from '{origin}'.");
        }

        return null;
    }

    /// <summary>The largest body an action reads: a reason of 2,000 characters and its options fit many times over.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Reads the body; an empty body is the type's defaults.</summary>
    /// <exception cref="BadBodyException">The body is not the JSON the action takes, or larger than <see cref="MaxBodyBytes"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, T empty)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new BadBodyException($"The body is larger than {MaxBodyBytes / 1024} KiB; an action's body holds a reason and a few options.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return empty;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type) ?? empty;
        }
        catch (JsonException ex)
        {
            throw new BadBodyException($"The body is not valid JSON for this action: {JsonProblemText.Of(ex, type)}");
        }
    }

    /// <summary>A body that does not read.</summary>
    internal sealed class BadBodyException(string message) : Exception(message);
}
