using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// The entity tags of a schedule's and a group's stored settings: what a read (<c>GET /schedules/{id}</c>) and a write send
/// as <c>ETag</c>, and what a write's <c>If-Match</c> is compared with. Derived from the settings as the store returns them,
/// never from what changes by itself (next occurrences, RPO ages, executions), so a tag changes exactly when someone
/// writes. The representations carry those live fields too, so the API answers no <c>If-None-Match</c> with 304.
/// </summary>
internal static partial class EntityTags
{
    /// <summary>The tag of a schedule's settings, or <see langword="null"/> for none.</summary>
    public static string? Of(ReplicationSchedule? schedule) =>
        schedule is null ? null : Tag(JsonSerializer.SerializeToUtf8Bytes(schedule, Settings.Default.ReplicationSchedule));

    /// <summary>The tag of a group's settings (not its memberships, which are written on their own), or <see langword="null"/> for none.</summary>
    public static string? Of(MachineGroup? group) =>
        group is null ? null : Tag(JsonSerializer.SerializeToUtf8Bytes(group, Settings.Default.MachineGroup));

    /// <summary>The request's <c>If-Match</c> tags, or <see langword="null"/> when it sends none (an unconditional write).</summary>
    public static IList<EntityTagHeaderValue>? IfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.IfMatch.Count == 0 ? null : request.GetTypedHeaders().IfMatch;
    }

    /// <summary>
    /// Whether <c>If-Match</c> holds for the resource's <paramref name="current"/> tag (<see langword="null"/>: it does not
    /// exist): <c>*</c> for any that exists, else one of the tags listed, compared strongly (a weak tag never matches).
    /// </summary>
    public static bool Matches(IList<EntityTagHeaderValue> ifMatch, string? current)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        if (current is null)
        {
            return false;
        }

        var tag = new EntityTagHeaderValue(current);
        return ifMatch.Any(t => t.Tag.Equals("*", StringComparison.Ordinal) || t.Compare(tag, useStrongComparison: true));
    }

    /// <summary>Sends <paramref name="tag"/> as the response's <c>ETag</c>, if there is one.</summary>
    public static void Set(HttpResponse response, string? tag)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (tag is not null)
        {
            response.Headers.ETag = tag;
        }
    }

    // A strong tag: 128 bits of the settings' SHA-256, quoted.
    private static string Tag(byte[] settings) => $"\"{Convert.ToHexStringLower(SHA256.HashData(settings).AsSpan(0, 16))}\"";

    /// <summary>Every setting, in declaration order; the window as its text (its type has no public state to write).</summary>
    [JsonSourceGenerationOptions(Converters = [typeof(WindowAsText)])]
    [JsonSerializable(typeof(ReplicationSchedule))]
    [JsonSerializable(typeof(MachineGroup))]
    private sealed partial class Settings : JsonSerializerContext;

    private sealed class WindowAsText : JsonConverter<ReplicationWindow>
    {
        public override ReplicationWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Entity tags are written, never read.");

        public override void Write(Utf8JsonWriter writer, ReplicationWindow value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            ArgumentNullException.ThrowIfNull(value);
            writer.WriteStringValue(value.ToString());
        }
    }
}
