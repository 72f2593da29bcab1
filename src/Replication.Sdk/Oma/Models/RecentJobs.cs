using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Oma;

/// <summary>The response of <c>GET /api/v1/vm-contexts/{context_id}/recent-jobs</c>.</summary>
public sealed record RecentJobs
{
    /// <summary>Gets the context id.</summary>
    public string ContextId { get => field ?? ""; init; } = "";

    /// <summary>Gets the jobs, newest first; empty when the OMA sends <c>null</c> (no jobs, or an unknown context id).</summary>
    [AllowNull]
    public IReadOnlyList<RecentJob> Jobs { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the count the OMA reported.</summary>
    public int Count { get; init; }
}
