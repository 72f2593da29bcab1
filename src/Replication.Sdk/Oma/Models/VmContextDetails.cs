using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Replication.Sdk.Oma;

/// <summary>The response of <c>GET /api/v1/vm-contexts/{vm_name}</c>.</summary>
public sealed record VmContextDetails
{
    /// <summary>Gets the context.</summary>
    public VmContext Context { get; init; } = new();

    /// <summary>Gets the current job, if any.</summary>
    public ReplicationJobSummary? CurrentJob { get; init; }

    /// <summary>Gets the job history, newest first.</summary>
    [AllowNull]
    public IReadOnlyList<ReplicationJobSummary> JobHistory { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the disk rows as raw JSON (their shape varies between appliance builds).</summary>
    [AllowNull]
    public IReadOnlyList<JsonElement> Disks { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the change-block-tracking history.</summary>
    [AllowNull]
    public IReadOnlyList<CbtHistoryEntry> CbtHistory { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the last operation as raw JSON, if any.</summary>
    public JsonElement? LastOperation { get; init; }
}
