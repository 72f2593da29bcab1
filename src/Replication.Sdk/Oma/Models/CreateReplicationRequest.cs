using System.Text.Json.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>The body of <c>POST /api/v1/replications</c>, exactly as the OMA GUI sends it.</summary>
/// <remarks>Build it with the discovery-first job builder rather than by hand: it maps fresh discovery data and pre-validates.</remarks>
public sealed record CreateReplicationRequest
{
    /// <summary>Gets the source VM spec (fresh from discovery).</summary>
    public required SourceVm SourceVm { get; init; }

    /// <summary>Gets the target OSSEA (CloudStack) configuration id. Must be positive; the OMA rejects 0.</summary>
    [JsonPropertyName("ossea_config_id")]
    public required int OsseaConfigId { get; init; }

    /// <summary>Gets the wire replication type: <c>""</c> (auto-detect), <c>"initial"</c> or <c>"incremental"</c>.</summary>
    public string ReplicationType { get => field ?? ""; init; } = "";

    /// <summary>Gets the target network name (stored by the OMA).</summary>
    public string TargetNetwork { get => field ?? ""; init; } = "";

    /// <summary>Gets the vCenter host. Always send it: an empty value makes the OMA fall back to a hard-coded host.</summary>
    public required string VcenterHost { get; init; }

    /// <summary>Gets the datacenter. Always send it: an empty value makes the OMA fall back to a hard-coded datacenter.</summary>
    public required string Datacenter { get; init; }

    /// <summary>Gets an explicit change id (normally omitted).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChangeId { get; init; }

    /// <summary>Gets an explicit previous change id (normally omitted).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreviousChangeId { get; init; }

    /// <summary>Gets an explicit snapshot id (normally omitted).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SnapshotId { get; init; }

    /// <summary>Gets the scheduler execution id this job belongs to, if any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScheduleExecutionId { get; init; }

    /// <summary>Gets the machine group id this job belongs to, if any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VmGroupId { get; init; }

    /// <summary>Gets the principal that scheduled this job, if any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScheduledBy { get; init; }

    /// <summary>Gets a value indicating whether to start the replication workflow (<see langword="true"/>) or only add the VM to management.</summary>
    /// <value>The default value is <see langword="true"/>. Always sent explicitly.</value>
    public bool StartReplication { get; init; } = true;
}
