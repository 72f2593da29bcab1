using System.Buffers;
using System.Text;
using System.Text.Json;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>A VM outcome's drift report as a JSON column: <c>{"changes":[{"kind","subject","before","after"}]}</c>.</summary>
internal static class DriftJson
{
    public static string? Write(DriftReport? drift)
    {
        if (drift is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("changes");
            foreach (var change in drift.Changes)
            {
                json.WriteStartObject();
                json.WriteString("kind", change.Kind.ToString());
                json.WriteString("subject", change.Subject);
                json.WriteString("before", change.Before);
                json.WriteString("after", change.After);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static DriftReport? Read(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        var changes = new List<DriftChange>();
        foreach (var change in document.RootElement.GetProperty("changes").EnumerateArray())
        {
            changes.Add(new DriftChange(
                Enum.Parse<DriftKind>(change.GetProperty("kind").GetString()!),
                change.GetProperty("subject").GetString()!,
                change.GetProperty("before").GetString(),
                change.GetProperty("after").GetString()));
        }

        return new DriftReport { Changes = changes };
    }
}
