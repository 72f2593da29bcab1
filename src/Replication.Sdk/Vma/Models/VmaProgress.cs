using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Replication.Sdk.Vma;

/// <summary>The response of <c>GET /api/v1/progress/{jobId}</c>: detailed transfer progress of one VMA job.</summary>
/// <remarks>
/// <see cref="Status"/> is capitalised on the wire (<c>Queued</c>, <c>Preparing</c>, <c>Snapshotting</c>, <c>Streaming</c>,
/// <c>Finalizing</c>, <c>Succeeded</c>, <c>Failed</c>). Sub-objects whose shape varies between appliance builds
/// (<see cref="LastError"/>, <see cref="DiskProgresses"/>) are kept as raw JSON so that no build breaks parsing.
/// </remarks>
public sealed record VmaProgress
{
    /// <summary>Gets the job id.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the capitalised transfer status.</summary>
    public string Status { get => field ?? ""; init; } = "";

    /// <summary>Gets the sync type (for example <c>full</c> or <c>incremental</c>).</summary>
    public string SyncType { get => field ?? ""; init; } = "";

    /// <summary>Gets the current phase (<c>Discover</c> … <c>PersistChangeIDs</c>).</summary>
    public string Phase { get => field ?? ""; init; } = "";

    /// <summary>Gets the overall progress in percent.</summary>
    public double Percentage { get; init; }

    /// <summary>Gets a description of the current operation.</summary>
    public string CurrentOperation { get => field ?? ""; init; } = "";

    /// <summary>Gets the bytes transferred so far.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>Gets the total bytes to transfer.</summary>
    public long TotalBytes { get; init; }

    /// <summary>Gets the throughput figures.</summary>
    public VmaThroughput? Throughput { get; init; }

    /// <summary>Gets the timing figures.</summary>
    public VmaTiming? Timing { get; init; }

    /// <summary>Gets the phases seen so far.</summary>
    [AllowNull]
    public IReadOnlyList<VmaPhase> Phases { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the errors seen so far.</summary>
    [AllowNull]
    public IReadOnlyList<VmaProgressError> Errors { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the last error as raw JSON, when there is one.</summary>
    public JsonElement? LastError { get; init; }

    /// <summary>Gets the per-disk progress as raw JSON, when the VMA reports it.</summary>
    public JsonElement? DiskProgresses { get; init; }
}

/// <summary>Throughput figures of a VMA transfer.</summary>
public sealed record VmaThroughput
{
    /// <summary>Gets the current throughput in MB/s.</summary>
    public double CurrentMbps { get; init; }

    /// <summary>Gets the average throughput in MB/s.</summary>
    public double AverageMbps { get; init; }

    /// <summary>Gets the peak throughput in MB/s.</summary>
    public double PeakMbps { get; init; }
}

/// <summary>Timing figures of a VMA transfer.</summary>
public sealed record VmaTiming
{
    /// <summary>Gets when the transfer started.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Gets when progress was last updated.</summary>
    public DateTimeOffset? LastUpdate { get; init; }

    /// <summary>Gets the elapsed time in milliseconds.</summary>
    public long ElapsedMs { get; init; }

    /// <summary>Gets the estimated seconds left (at most 86,400).</summary>
    public long EtaSeconds { get; init; }
}

/// <summary>One phase of a VMA transfer.</summary>
public sealed record VmaPhase
{
    /// <summary>Gets the phase name.</summary>
    public string Name { get => field ?? ""; init; } = "";

    /// <summary>Gets the phase status.</summary>
    public string Status { get => field ?? ""; init; } = "";

    /// <summary>Gets when the phase started.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Gets when the phase ended.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Gets the phase duration in milliseconds.</summary>
    public long DurationMs { get; init; }
}

/// <summary>One error reported during a VMA transfer.</summary>
public sealed record VmaProgressError
{
    /// <summary>Gets when the error happened.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the phase the error happened in.</summary>
    public string Phase { get => field ?? ""; init; } = "";

    /// <summary>Gets the error message.</summary>
    public string Message { get => field ?? ""; init; } = "";

    /// <summary>Gets the error code.</summary>
    public string ErrorCode { get => field ?? ""; init; } = "";

    /// <summary>Gets a value indicating whether the VMA considers the error retryable.</summary>
    public bool Retryable { get; init; }
}
