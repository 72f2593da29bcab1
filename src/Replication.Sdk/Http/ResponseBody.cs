using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Http;

/// <summary>Reads appliance answers: capped error text, and typed JSON with typed failures.</summary>
internal static class ResponseBody
{
    /// <summary>Error bodies are kept for diagnosis, but never without bound.</summary>
    public const int MaxErrorBodyChars = 4096;

    public static async Task<string?> ReadErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        return Cap(text.Trim());
    }

    public static string Cap(string text) =>
        text.Length <= MaxErrorBodyChars ? text : string.Concat(text.AsSpan(0, MaxErrorBodyChars), "…");

    public static async Task<T> ReadJsonAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ApplianceKind appliance, string endpoint, CancellationToken cancellationToken)
    {
        // The content is already buffered (ResponseContentRead), so a failed parse can still quote the body.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
                if (value is null)
                {
                    throw new ReplicationResponseFormatException(appliance, endpoint, response.StatusCode, "the body is JSON null", "null", null);
                }

                if (NullValueCheck.Find(value, typeInfo) is { } path)
                {
                    throw await FormatErrorAsync(response, appliance, endpoint, $"null or missing where the API has a value, at {path}", null, cancellationToken).ConfigureAwait(false);
                }

                return value;
            }
            catch (JsonException ex)
            {
                throw await FormatErrorAsync(response, appliance, endpoint, Describe(ex), ex, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static async Task<ReplicationResponseFormatException> FormatErrorAsync(
        HttpResponseMessage response, ApplianceKind appliance, string endpoint, string problem, Exception? inner, CancellationToken cancellationToken)
    {
        string? excerpt = null;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            excerpt = Cap(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, MaxErrorBodyChars * 4)));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            // The body is gone; the problem text still says what was wrong.
        }

        return new ReplicationResponseFormatException(appliance, endpoint, response.StatusCode, problem, excerpt, inner);
    }

    public static string Describe(JsonException ex)
    {
        var where = ex.Path is null ? "" : $" at {ex.Path}";
        var line = ex.LineNumber is null ? "" : $" (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})";
        if (IsNullForNonNullable(ex))
        {
            return $"null where the API has a value{where}{line}";
        }

        var isTruncated = ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase);
        return isTruncated
            ? $"the JSON is truncated{where}{line}"
            : $"malformed JSON{where}{line}: {ex.Message}";
    }

    // The serializer's wording for a null in a member declared non-nullable (RespectNullableAnnotations).
    private static bool IsNullForNonNullable(JsonException ex) =>
        ex.Message.Contains("doesn't allow", StringComparison.Ordinal) && ex.Message.Contains("null", StringComparison.Ordinal);
}
