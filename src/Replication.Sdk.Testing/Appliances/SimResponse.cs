using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Testing;

/// <summary>An answer a simulated handler produces; the pipeline decides whether it is written, altered or dropped.</summary>
internal sealed record SimResponse(int Status, string? ContentType, string Body)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SimResponse Ok(object body, int status = 200) => new(status, "application/json", JsonSerializer.Serialize(body, Json));

    public static SimResponse Text(int status, string text) => new(status, "text/plain; charset=utf-8", text + "\n");

    public static SimResponse Empty(int status) => new(status, null, "");

    /// <summary>The OMA's long error shape (auth, replication, VM handlers): <c>{error, details, timestamp}</c>, local offset.</summary>
    public static SimResponse OmaError(int status, string error, string details, DateTimeOffset localNow) =>
        Ok(new { error, details, timestamp = GoTime.Format(localNow) }, status);

    /// <summary>The OMA's short error shape (vm-context handlers): <c>{error, timestamp}</c>, UTC.</summary>
    public static SimResponse OmaShortError(int status, string error, DateTimeOffset utcNow) =>
        Ok(new { error, timestamp = GoTime.Format(utcNow.ToUniversalTime()) }, status);

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (ContentType is not null)
        {
            context.Response.ContentType = ContentType;
        }

        if (Body.Length > 0)
        {
            await context.Response.WriteAsync(Body).ConfigureAwait(false);
        }
    }
}
