using Replication.Sdk.Oma;

namespace Replication.Sdk.Jobs;

/// <summary>A job the create made, found on the OMA after its answer was lost or unusable.</summary>
internal sealed record CreatedJob(string JobId, ReplicationJobStatus Status);

/// <summary>
/// Looks once for a job that a create sent at a given time made for a VM (reference §3.6). The VM context's
/// <c>current_job_id</c> is the first place; but a job that ended before the look has already been unlinked from it
/// (the OMA resets <c>current_job_id</c> to null), so the context's <c>total_jobs_run</c> and <c>last_job_at</c>, its job
/// history and <c>recent-jobs</c> are searched too: a finished job is still the create's job, and sending again would
/// make a second one.
/// </summary>
internal sealed class CreatedJobProbe(IOmaClient oma, TimeSpan clockSkew)
{
    /// <summary>Returns the job, or <see langword="null"/> when the OMA shows none; throws when the OMA could not be read.</summary>
    public Task<CreatedJob?> FindAsync(ReplicationJobPlan plan, ContextBaseline baseline, DateTimeOffset requestStartedAt, CancellationToken cancellationToken) =>
        FindAsync(plan.Vm.Name, plan.Vm.Id, plan.Request.VcenterHost, baseline, requestStartedAt, cancellationToken);

    /// <summary>
    /// The same look for a VM known by name (and, when known, its VMware id and vCenter): a scheduler that inherits a
    /// submission from an instance that stopped mid-create has no plan, only the VM and when the submission started.
    /// </summary>
    public async Task<CreatedJob?> FindAsync(string vmName, string? vmwareVmId, string? vcenterHost, ContextBaseline baseline, DateTimeOffset requestStartedAt, CancellationToken cancellationToken)
    {
        VmContextDetails details;
        try
        {
            details = await oma.GetVmContextAsync(vmName, cancellationToken).ConfigureAwait(false);
        }
        catch (OmaNotFoundException)
        {
            return null;
        }

        var context = details.Context;
        if (!IsSameVm(context, vmwareVmId, vcenterHost))
        {
            return null;
        }

        var earliest = requestStartedAt - clockSkew;
        var current = context.CurrentJobId;
        if (!string.IsNullOrEmpty(current) && !string.Equals(current, baseline.CurrentJobId, StringComparison.Ordinal))
        {
            var job = await ReadJobAsync(current, cancellationToken).ConfigureAwait(false);
            if (job is not null && job.CreatedAt >= earliest)
            {
                return new CreatedJob(current, job.Status);
            }
        }

        // A history row names its VM; the context of the request already scopes it, so a row of another VM is not ours.
        var found = FirstMadeSince(
            details.JobHistory
                .Where(j => string.IsNullOrEmpty(j.SourceVmId) || string.IsNullOrEmpty(vmwareVmId) || string.Equals(j.SourceVmId, vmwareVmId, StringComparison.OrdinalIgnoreCase))
                .Select(j => new Candidate(j.Id, j.Status, j.CreatedAt)),
            baseline,
            earliest);
        if (found is null && RanSince(context, baseline, earliest) && context.ContextId.Length > 0)
        {
            // The counters say a job row was made, but the history shown here does not hold it. A recent-jobs item has no
            // VM id (the context id scopes it) and no created_at: its started_at is when the job row was made.
            var recent = await oma.GetRecentJobsAsync(context.ContextId, cancellationToken).ConfigureAwait(false);
            found = FirstMadeSince(recent.Jobs.Select(j => new Candidate(j.JobId, j.Status, j.StartedAt)), baseline, earliest);
        }

        return found is null ? null : new CreatedJob(found.Id, found.Status);
    }

    public static bool IsSameVm(VmContext context, ReplicationJobPlan plan) => IsSameVm(context, plan.Vm.Id, plan.Request.VcenterHost);

    private static bool IsSameVm(VmContext context, string? vmwareVmId, string? vcenterHost) =>
        (string.IsNullOrEmpty(context.VmwareVmId) || string.IsNullOrEmpty(vmwareVmId) || string.Equals(context.VmwareVmId, vmwareVmId, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(context.VcenterHost) || string.IsNullOrEmpty(vcenterHost) || string.Equals(context.VcenterHost, vcenterHost, StringComparison.OrdinalIgnoreCase));

    private static bool RanSince(VmContext context, ContextBaseline baseline, DateTimeOffset earliest) =>
        context.TotalJobsRun > baseline.TotalJobsRun
        || (context.LastJobAt is { } last && last >= earliest && last != baseline.LastJobAt);

    // The OMA's VM busy gate allows one create at a time per VM, so the first job made since the request is the create's.
    private static Candidate? FirstMadeSince(IEnumerable<Candidate> jobs, ContextBaseline baseline, DateTimeOffset earliest) =>
        jobs.Where(j => j.Id.Length > 0
                && !baseline.KnownJobIds.Contains(j.Id)
                && !string.Equals(j.Id, baseline.CurrentJobId, StringComparison.Ordinal)
                && j.MadeAt >= earliest)
            .OrderBy(j => j.MadeAt)
            .FirstOrDefault();

    private async Task<ReplicationJob?> ReadJobAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await oma.GetReplicationJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (OmaNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A job seen in the history or in recent-jobs, with when its row was made.</summary>
    private sealed record Candidate(string Id, ReplicationJobStatus Status, DateTimeOffset? MadeAt);
}
