using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Sdk.Serialization;

/// <summary>
/// Reads and writes Go's RFC 3339 "nano" timestamps: 0 to 9 fractional digits, <c>Z</c> or <c>±hh:mm</c>.
/// </summary>
/// <remarks>
/// .NET keeps 100 ns ticks, so digits beyond the seventh are truncated (never rounded, which could
/// move an instant into the next second). The offset the appliance sent is kept as sent.
/// </remarks>
internal sealed class GoTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const int MaxNetFractionDigits = 7;

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected an RFC 3339 timestamp string but found {reader.TokenType}.");
        }

        var text = reader.GetString()!;
        if (!TryParse(text, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    internal static string Format(DateTimeOffset value)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return value.Offset == TimeSpan.Zero
            ? text + "Z"
            : text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }

    internal static bool TryParse(string text, out DateTimeOffset value)
    {
        var normalized = TruncateFraction(text);
        return DateTimeOffset.TryParseExact(
            normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static string TruncateFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var digits = end - dot - 1;
        return digits <= MaxNetFractionDigits
            ? text
            : string.Concat(text.AsSpan(0, dot + 1 + MaxNetFractionDigits), text.AsSpan(end));
    }
}
