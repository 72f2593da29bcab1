using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Reads an instant of a request (a query's <c>from</c>, a pause's <c>resumeAt</c>, a blackout's <c>from</c> and
/// <c>to</c>) only with its offset (<c>Z</c> or <c>±hh:mm</c>): without one, .NET reads the time in the server's own zone,
/// so the same request would mean a different moment on every server. Writes as the default converter does.
/// </summary>
internal sealed class InstantWithOffset : JsonConverter<DateTimeOffset>
{
    /// <summary>Whether an ISO 8601 text names its offset: a <c>Z</c>, or a sign after the date.</summary>
    public static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The message names no value; the reader adds the path (the field) to the body's refusal.
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An instant must be a string: an ISO 8601 date and time with an offset (e.g. 2026-12-05T00:00:00Z).");
        }

        if (!reader.TryGetDateTimeOffset(out var value) || !HasOffset(reader.GetString()!))
        {
            throw new JsonException("An instant must be an ISO 8601 date and time with an offset, Z or ±hh:mm (e.g. 2026-12-05T00:00:00Z); without one it would be read in the server's own time zone.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
