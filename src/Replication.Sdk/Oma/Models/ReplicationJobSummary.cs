using System.Text.Json.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>A job row as the OMA lists it inside VM-context views.</summary>
public sealed record ReplicationJobSummary
{
    /// <summary>Gets the job id.</summary>
    public string Id { get => field ?? ""; init; } = "";

    /// <summary>Gets the job status.</summary>
    public ReplicationJobStatus Status { get; init; }

    /// <summary>Gets the stored replication type.</summary>
    public string ReplicationType { get => field ?? ""; init; } = "";

    /// <summary>Gets the progress in percent.</summary>
    public double ProgressPercent { get; init; }

    /// <summary>Gets the current operation.</summary>
    public string? CurrentOperation { get; init; }

    /// <summary>Gets the error message, if the job failed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the source VM id.</summary>
    public string? SourceVmId { get; init; }

    /// <summary>Gets the source VM name.</summary>
    public string? SourceVmName { get; init; }

    /// <summary>Gets the VM context id.</summary>
    public string? VmContextId { get; init; }

    /// <summary>Gets the scheduler execution id, if a schedule created the job.</summary>
    public string? ScheduleExecutionId { get; init; }

    /// <summary>Gets the machine group id, if a schedule created the job.</summary>
    public string? VmGroupId { get; init; }

    /// <summary>Gets who scheduled the job.</summary>
    public string? ScheduledBy { get; init; }

    /// <summary>Gets the OSSEA configuration id.</summary>
    [JsonPropertyName("ossea_config_id")]
    public int? OsseaConfigId { get; init; }

    /// <summary>Gets when the job was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the job last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Gets when the job started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job ended.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
