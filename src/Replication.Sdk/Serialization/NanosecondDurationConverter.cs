using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Serialization;

/// <summary>
/// Go's <c>time.Duration</c> marshals as an integer count of nanoseconds; a <see cref="TimeSpan"/> tick is 100 ns.
/// </summary>
internal sealed class NanosecondDurationConverter : JsonConverter<TimeSpan>
{
    private const long NanosecondsPerTick = 100;

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var nanoseconds))
        {
            throw new JsonException("Expected a duration as an integer number of nanoseconds.");
        }

        return TimeSpan.FromTicks(nanoseconds / NanosecondsPerTick);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Ticks * NanosecondsPerTick);
    }
}
