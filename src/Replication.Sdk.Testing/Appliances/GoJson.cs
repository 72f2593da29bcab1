using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Replication.Sdk.Testing;

/// <summary>
/// Request bodies decoded the way the appliances' Go handlers decode them (<c>json.NewDecoder(r.Body).Decode(&amp;req)</c>):
/// keys match case-insensitively (the last matching key wins), data after the first value is ignored, <c>null</c> leaves
/// the zero value, and a value of the wrong type is an error (reported after the whole body was read, as Go does).
/// </summary>
internal sealed class GoJson
{
    private readonly string _type;

    private GoJson(string type) => _type = type;

    /// <summary>Gets the first type error, Go's <c>json: cannot unmarshal …</c> text; <see langword="null"/> when none.</summary>
    public string? TypeError { get; private set; }

    /// <summary>Decodes the first JSON value of <paramref name="body"/>; <paramref name="syntaxError"/> is Go's text when it is not JSON.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="type">The Go struct name that error texts mention.</param>
    /// <param name="root">The value; <c>default</c> for <c>null</c>.</param>
    /// <param name="syntaxError">The decode error, or <see langword="null"/>.</param>
    /// <returns>The decoder that collects type errors.</returns>
    public static GoJson Decode(string body, string type, out JsonElement root, out string? syntaxError)
    {
        var decoder = new GoJson(type);
        root = default;
        syntaxError = null;
        if (body.Trim().Length == 0)
        {
            syntaxError = "EOF";
            return decoder;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            syntaxError = SyntaxError(body, ex);
            return decoder;
        }

        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            decoder.Fail(root, "", "struct");
        }

        return decoder;
    }

    /// <summary>Go's texts: <c>unexpected EOF</c> when the value is cut short, else the offending character.</summary>
    private static string SyntaxError(string body, JsonException ex)
    {
        var lines = body.Split('\n');
        var line = (int)(ex.LineNumber ?? 0);
        var offset = lines.Take(line).Sum(l => Encoding.UTF8.GetByteCount(l) + 1) + (int)(ex.BytePositionInLine ?? 0);
        var bytes = Encoding.UTF8.GetBytes(body);
        return offset >= Encoding.UTF8.GetByteCount(body.TrimEnd())
            ? "unexpected EOF"
            : string.Create(CultureInfo.InvariantCulture, $"invalid character '{(char)bytes[offset]}' looking for beginning of value");
    }

    /// <summary>Gets a member, matched case-insensitively; the last match wins.</summary>
    public static JsonElement Member(JsonElement obj, string name)
    {
        var found = default(JsonElement);
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return found;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }

        return found;
    }

    public string String(JsonElement obj, string name, string field = "")
    {
        var value = Member(obj, name);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return "";
            default:
                Fail(value, Field(field, name), "string");
                return "";
        }
    }

    public long Int(JsonElement obj, string name, string field = "", string goType = "int")
    {
        var value = Member(obj, name);
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return 0;
            default:
                Fail(value, Field(field, name), goType);
                return 0;
        }
    }

    /// <summary>A <c>*bool</c>: <see langword="null"/> when absent or <c>null</c>.</summary>
    public bool? Bool(JsonElement obj, string name, string field = "")
    {
        var value = Member(obj, name);
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            default:
                Fail(value, Field(field, name), "bool");
                return null;
        }
    }

    /// <summary>A nested struct: <c>default</c> (no members) when absent, <c>null</c> or of the wrong type.</summary>
    public JsonElement Object(JsonElement obj, string name, string field = "")
    {
        var value = Member(obj, name);
        if (value.ValueKind is JsonValueKind.Object)
        {
            return value;
        }

        if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            Fail(value, Field(field, name), "struct");
        }

        return default;
    }

    /// <summary>A slice of structs: empty when absent or <c>null</c>.</summary>
    public IReadOnlyList<JsonElement> Array(JsonElement obj, string name, string field = "")
    {
        var value = Member(obj, name);
        if (value.ValueKind is JsonValueKind.Array)
        {
            var items = value.EnumerateArray().ToList();
            foreach (var item in items.Where(i => i.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)))
            {
                Fail(item, Field(field, name), "struct");
            }

            return [.. items.Where(i => i.ValueKind == JsonValueKind.Object)];
        }

        if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            Fail(value, Field(field, name), "[]struct");
        }

        return [];
    }

    private static string Field(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private void Fail(JsonElement value, string field, string goType)
    {
        var kind = value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number " + value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Array => "array",
            _ => "object",
        };
        TypeError ??= field.Length == 0
            ? $"json: cannot unmarshal {kind} into Go value of type {_type}"
            : $"json: cannot unmarshal {kind} into Go struct field {_type}.{field} of type {goType}";
    }
}
