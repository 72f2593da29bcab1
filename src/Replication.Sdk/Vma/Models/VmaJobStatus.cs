namespace Replication.Sdk.Vma;

/// <summary>The response of <c>GET /api/v1/status/{job_id}</c>. The VMA holds it in memory only: it is lost on restart.</summary>
public sealed record VmaJobStatus
{
    /// <summary>Gets the job id.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the status: <c>running</c>, <c>completed</c> or <c>failed</c>.</summary>
    public string Status { get => field ?? ""; init; } = "";

    /// <summary>Gets the progress in percent.</summary>
    public double ProgressPercent { get; init; }

    /// <summary>Gets a description of the current operation.</summary>
    public string CurrentOperation { get => field ?? ""; init; } = "";

    /// <summary>Gets when the job started.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Gets when the status last changed.</summary>
    public DateTimeOffset? LastUpdate { get; init; }

    /// <summary>Gets the VM path, when the VMA knows it.</summary>
    public string? VmPath { get; init; }
}
