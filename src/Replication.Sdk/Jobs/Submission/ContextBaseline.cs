using Replication.Sdk.Oma;

namespace Replication.Sdk.Jobs;

/// <summary>
/// The VM context as it was before the create: what reconciliation compares against to tell a job the create made from
/// one that was already there.
/// </summary>
/// <param name="CurrentJobId">The context's <c>current_job_id</c>.</param>
/// <param name="TotalJobsRun">The context's <c>total_jobs_run</c>; the OMA adds one as soon as a new job row exists.</param>
/// <param name="LastJobAt">The context's <c>last_job_at</c>.</param>
/// <param name="KnownJobIds">The jobs the context's history listed.</param>
internal sealed record ContextBaseline(string? CurrentJobId, int TotalJobsRun, DateTimeOffset? LastJobAt, IReadOnlySet<string> KnownJobIds)
{
    /// <summary>Gets the baseline of a VM the OMA does not manage yet.</summary>
    public static ContextBaseline Unmanaged { get; } = new(null, 0, null, new HashSet<string>(StringComparer.Ordinal));

    public static ContextBaseline From(VmContextDetails details)
    {
        var known = new HashSet<string>(details.JobHistory.Select(j => j.Id), StringComparer.Ordinal);
        if (details.CurrentJob is { } current)
        {
            known.Add(current.Id);
        }

        return new ContextBaseline(details.Context.CurrentJobId, details.Context.TotalJobsRun, details.Context.LastJobAt, known);
    }
}
