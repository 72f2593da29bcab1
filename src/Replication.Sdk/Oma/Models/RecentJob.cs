namespace Replication.Sdk.Oma;

/// <summary>
/// An item of <c>GET /api/v1/vm-contexts/{context_id}/recent-jobs</c>: the OMA's unified job view, not a job row
/// (<see cref="ReplicationJobSummary"/>). It carries no VM id: the context id of the request scopes it.
/// </summary>
public sealed record RecentJob
{
    /// <summary>Gets the job id.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the kind of job (<c>replication</c> for replication jobs).</summary>
    public string JobType { get => field ?? ""; init; } = "";

    /// <summary>Gets the job status.</summary>
    public ReplicationJobStatus Status { get; init; }

    /// <summary>Gets the progress in percent.</summary>
    public double Progress { get; init; }

    /// <summary>Gets when the job started (for a replication job, when its row was created).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job ended; <see langword="null"/> while it runs.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the name the OMA shows for the job (the VM name for a replication job).</summary>
    public string DisplayName { get => field ?? ""; init; } = "";

    /// <summary>Gets the error message, if the job failed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the table the OMA read the item from (<c>replication_jobs</c> for replication jobs).</summary>
    public string DataSource { get => field ?? ""; init; } = "";

    /// <summary>Gets how long the job ran, in whole seconds; 0 while it runs.</summary>
    public long DurationSeconds { get; init; }
}
