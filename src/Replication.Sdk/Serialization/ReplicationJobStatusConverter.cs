using System.Text.Json;
using System.Text.Json.Serialization;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Serialization;

internal sealed class ReplicationJobStatusConverter : JsonConverter<ReplicationJobStatus>
{
    public override ReplicationJobStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new ReplicationJobStatus(reader.GetString()!),
            JsonTokenType.Null => default,
            _ => throw new JsonException($"Expected a job status string but found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, ReplicationJobStatus value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
