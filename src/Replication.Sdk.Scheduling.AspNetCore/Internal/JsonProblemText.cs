using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// What a problem detail says of a body that did not read. System.Text.Json's own messages name .NET types ("could not be
/// converted to Replication.Sdk.Scheduling.AspNetCore.ScheduleRequest", "System.Collections.Generic.IReadOnlyList`1[…]"),
/// which say nothing to an operator and show the API's internals. This says what the setting at the failing path takes,
/// found by walking the body type's own contract along that path, with the position; it never repeats a value of the
/// request.
/// </summary>
internal static partial class JsonProblemText
{
    /// <summary>The text for <paramref name="ex"/>, raised reading a body of <paramref name="body"/>.</summary>
    public static string Of(JsonException ex, JsonTypeInfo body)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(body);
        var path = ex.Path is { Length: > 0 } p ? p : "$";
        var message = ex.Message;
        if (!TypeName().IsMatch(message))
        {
            // The reader's own messages (a syntax error, a setting named twice, a converter of this API's) name no type.
            return message.Contains(path, StringComparison.Ordinal) ? message : $"{message} Path: {path}.";
        }

        var at = ex.LineNumber is { } line && ex.BytePositionInLine is { } column ? $" (line {line + 1}, byte {column + 1})" : "";
        return SettingAt(body, path) is { } type ? $"The value at {path}{at} is not {Expected(type)}." : $"The value at {path}{at} is not what this body takes there.";
    }

    /// <summary>The type of what <paramref name="path"/> (<c>$.a.b[0].c</c>) names in <paramref name="body"/>'s contract, or null.</summary>
    private static Type? SettingAt(JsonTypeInfo body, string path)
    {
        var info = body;
        foreach (Match segment in Segment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                if (info.ElementType is not { } element)
                {
                    return null;
                }

                info = info.Options.GetTypeInfo(element);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (info.Properties.FirstOrDefault(property => string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } setting)
            {
                return null;
            }

            info = info.Options.GetTypeInfo(setting.PropertyType);
        }

        return info.Type;
    }

    /// <summary>The kind of JSON value <paramref name="type"/> takes, in an operator's words.</summary>
    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return $"one of the names {string.Join(", ", Enum.GetNames(type))}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
                => "a whole number (a JSON number, not a string)",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number (a JSON number, not a string)",
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a string",
            _ when type == typeof(TimeSpan) => "a span as a string, hh:mm:ss or d.hh:mm:ss",
            _ when type == typeof(DateTimeOffset) => "an instant as a string with its offset, such as 2026-12-07T22:00:00+01:00",
            _ when type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "an array",
            _ => "an object",
        };
    }

    // A member (.name or ['name']) or an index ([0]) of a JSON path.
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    [GeneratedRegex(@"\b(System|Microsoft|Replication)\.[\w`\[\]]+|\btype '[^']+'", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();
}
