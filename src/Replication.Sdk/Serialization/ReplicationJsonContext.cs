using System.Text.Json.Serialization;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Serialization;

/// <summary>Source-generated JSON metadata for every wire type, snake_case as the appliances speak it.</summary>
/// <remarks>
/// Unknown members are skipped (the appliances add fields between builds). Numbers may arrive quoted.
/// Every <see cref="DateTimeOffset"/> is a Go RFC 3339 timestamp and every <see cref="TimeSpan"/> a Go duration in nanoseconds.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    Converters = [typeof(GoTimestampConverter), typeof(NanosecondDurationConverter)])]
[JsonSerializable(typeof(VmaDiscoverWireRequest))]
[JsonSerializable(typeof(VmInventory))]
[JsonSerializable(typeof(VmaHealth))]
[JsonSerializable(typeof(VmaJobStatus))]
[JsonSerializable(typeof(VmaProgress))]
[JsonSerializable(typeof(CreateReplicationRequest))]
[JsonSerializable(typeof(ReplicationJobStarted))]
[JsonSerializable(typeof(VmAddedToManagement))]
[JsonSerializable(typeof(ReplicationJob))]
[JsonSerializable(typeof(VmContextList))]
[JsonSerializable(typeof(VmContextDetails))]
[JsonSerializable(typeof(RecentJobs))]
[JsonSerializable(typeof(DeleteReplicationResult))]
[JsonSerializable(typeof(OmaLoginWireRequest))]
[JsonSerializable(typeof(OmaLoginWireResponse))]
[JsonSerializable(typeof(OmaErrorWireBody))]
[JsonSerializable(typeof(TimeSpan))]
internal sealed partial class ReplicationJsonContext : JsonSerializerContext
{
}
