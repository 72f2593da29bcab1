using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>The verdict of <see cref="IJobLivenessPolicy"/> on one job at one moment, with the evidence it rests on.</summary>
public sealed record JobLivenessVerdict
{
    /// <summary>Gets the job id.</summary>
    public required string JobId { get; init; }

    /// <summary>Gets the verdict.</summary>
    public required JobLiveness Liveness { get; init; }

    /// <summary>Gets the OMA's job as read, or <see langword="null"/> when it was missing or could not be read.</summary>
    public ReplicationJob? Job { get; init; }

    /// <summary>Gets the VMA's progress of the job when it was read (only when the OMA's own evidence was not enough).</summary>
    public VmaProgress? VmaProgress { get; init; }

    /// <summary>Gets the latest activity seen (OMA row change, VMA progress change), or <see langword="null"/> when none was judged.</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>Gets how long the job showed no activity when judged, or <see langword="null"/> when not judged (ended, missing, unreadable).</summary>
    public TimeSpan? QuietFor { get; init; }

    /// <summary>Gets a one-line explanation naming the job and the evidence.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the failed read behind an <see cref="JobLiveness.Unknown"/> verdict.</summary>
    public ReplicationException? Error { get; init; }
}
