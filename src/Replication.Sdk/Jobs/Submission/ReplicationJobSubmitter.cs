using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Jobs;

internal sealed class ReplicationJobSubmitter(
    IReplicationJobBuilder builder,
    IOmaClient oma,
    IOptions<ReplicationJobOptions> options,
    TimeProvider time,
    ILogger<ReplicationJobSubmitter> logger) : IReplicationJobSubmitter
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(15);

    public async Task<SubmissionResult> SubmitAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var result = await SubmitCoreAsync(target, scope, cancellationToken).ConfigureAwait(false);
        JobLog.Submitted(logger, target.VmName, result.Status.ToString(), result.JobId, result.Reason);
        return result;
    }

    private async Task<SubmissionResult> SubmitCoreAsync(ReplicationTarget target, IDiscoveryScope? scope, CancellationToken cancellationToken)
    {
        ReplicationJobPlan plan;
        try
        {
            plan = await builder.BuildAsync(target, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            return Failed(target, null, ex, IsTransient(ex));
        }

        // The baseline for reconciliation: the context's current job before we create.
        string? baseline;
        try
        {
            baseline = await ReadCurrentJobIdAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            return Failed(target, plan, ex, IsTransient(ex), "the VM context could not be read before creating, so a lost answer could not be reconciled");
        }

        var startedAt = time.GetUtcNow();
        try
        {
            var created = await oma.CreateReplicationAsync(plan.Request, cancellationToken).ConfigureAwait(false);
            return created switch
            {
                ReplicationJobStarted job => new SubmissionResult { Status = SubmissionStatus.JobCreated, Target = target, Plan = plan, JobId = job.JobId, RequestStartedAt = startedAt },
                VmAddedToManagement added => new SubmissionResult { Status = SubmissionStatus.AddedToManagement, Target = target, Plan = plan, ContextId = added.ContextId, RequestStartedAt = startedAt },
                _ => Failed(target, plan, null, false, $"unexpected create result {created.GetType().Name}"),
            };
        }
        catch (OmaActiveJobConflictException conflict)
        {
            return await ClassifyConflictAsync(target, plan, conflict, baseline, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationOutcomeUnknownException unknown)
        {
            return await ReconcileAsync(target, plan, baseline, unknown.RequestStartedAt, unknown, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The request was handed to the network: it may have been created. No I/O is possible with a cancelled token.
            return new SubmissionResult
            {
                Status = SubmissionStatus.OutcomeUnknown, Target = target, Plan = plan, Error = ex, RequestStartedAt = startedAt,
                Reason = "the submission was cancelled after the create request was sent; reconcile before resending",
            };
        }
        catch (ArgumentException ex)
        {
            return Failed(target, plan, ex, false);
        }
        catch (ReplicationException ex)
        {
            return Failed(target, plan, ex, IsTransient(ex));
        }
    }

    private async Task<string?> ReadCurrentJobIdAsync(ReplicationJobPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var details = await oma.GetVmContextAsync(plan.Vm.Name, cancellationToken).ConfigureAwait(false);
            return IsSameVm(details.Context, plan) ? details.Context.CurrentJobId : null;
        }
        catch (OmaNotFoundException)
        {
            return null;
        }
    }

    private async Task<SubmissionResult> ClassifyConflictAsync(ReplicationTarget target, ReplicationJobPlan plan, OmaActiveJobConflictException conflict, string? baseline, CancellationToken cancellationToken)
    {
        var jobId = conflict.ActiveJobId ?? baseline;
        if (jobId is null)
        {
            return Failed(target, plan, conflict, false, "the OMA reports an active job but names none");
        }

        ReplicationJob job;
        try
        {
            job = await oma.GetReplicationJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (OmaNotFoundException)
        {
            return Blocked(target, plan, jobId, null, $"the OMA blocks the VM with job {jobId}, which no longer exists");
        }
        catch (ReplicationException ex)
        {
            return Failed(target, plan, ex, true, $"the VM has job {jobId} whose status could not be read");
        }

        if (job.Status.IsTerminal)
        {
            return Blocked(target, plan, jobId, job.Status, $"the OMA blocks the VM with job {jobId}, which ended as '{job.Status}'");
        }

        var quiet = time.GetUtcNow() - job.UpdatedAt;
        if (quiet > options.Value.StaleJobThreshold)
        {
            return Blocked(target, plan, jobId, job.Status, $"job {jobId} has been '{job.Status}' without change for {quiet:g}");
        }

        return new SubmissionResult
        {
            Status = SubmissionStatus.ActiveJobExists, Target = target, Plan = plan, JobId = jobId, ExistingJobStatus = job.Status,
            Reason = $"the VM already has job {jobId} in status '{job.Status}'",
        };
    }

    /// <summary>§3.6: poll the context for a new current_job_id; adopt it once confirmed, else report "not created".</summary>
    private async Task<SubmissionResult> ReconcileAsync(ReplicationTarget target, ReplicationJobPlan plan, string? baseline, DateTimeOffset startedAt, ReplicationOutcomeUnknownException cause, CancellationToken cancellationToken)
    {
        JobLog.Reconciling(logger, plan.Vm.Name, baseline);
        var o = options.Value;
        var deadline = time.GetUtcNow() + o.ReconciliationTimeout;
        var delay = o.ReconciliationInitialDelay;
        var omaAnswered = false;
        Exception? lastError = null;
        try
        {
            while (true)
            {
                try
                {
                    var details = await oma.GetVmContextAsync(plan.Vm.Name, cancellationToken).ConfigureAwait(false);
                    omaAnswered = true;
                    var current = details.Context.CurrentJobId;
                    if (IsSameVm(details.Context, plan) && !string.IsNullOrEmpty(current) && !string.Equals(current, baseline, StringComparison.Ordinal))
                    {
                        var job = await oma.GetReplicationJobAsync(current, cancellationToken).ConfigureAwait(false);
                        if (job.CreatedAt >= startedAt - o.ClockSkew)
                        {
                            JobLog.Reconciled(logger, plan.Vm.Name, "adopted", current);
                            return new SubmissionResult
                            {
                                Status = SubmissionStatus.JobAdopted, Target = target, Plan = plan, JobId = current, ExistingJobStatus = job.Status,
                                RequestStartedAt = startedAt, Reason = $"the create's answer was lost; job {current} was found through the VM context and confirmed",
                            };
                        }
                    }
                }
                catch (OmaNotFoundException)
                {
                    omaAnswered = true;
                }
                catch (ReplicationException ex)
                {
                    lastError = ex;
                }

                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(delay < left ? delay : left, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            return Unknown(target, plan, startedAt, ex, "the submission was cancelled while reconciling a lost create answer");
        }

        if (!omaAnswered)
        {
            return Unknown(target, plan, startedAt, lastError ?? cause, "the create's answer was lost and the OMA could not be reached to reconcile");
        }

        JobLog.Reconciled(logger, plan.Vm.Name, "not created", null);
        return new SubmissionResult
        {
            Status = SubmissionStatus.NotCreated, Target = target, Plan = plan, Error = cause, RequestStartedAt = startedAt,
            Reason = $"the create's answer was lost and no new job appeared on the VM context within {o.ReconciliationTimeout:g}; one resend is safe",
        };
    }

    private static bool IsSameVm(VmContext context, ReplicationJobPlan plan) =>
        (string.IsNullOrEmpty(context.VmwareVmId) || string.Equals(context.VmwareVmId, plan.Vm.Id, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(context.VcenterHost) || string.Equals(context.VcenterHost, plan.Request.VcenterHost, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the same submission may succeed later. Build errors, 400s and 409s are permanent.</summary>
    internal static bool IsTransient(ReplicationException ex) => ex switch
    {
        ReplicationJobBuildException or ReplicationConfigurationException or ReplicationResponseFormatException => false,
        ReplicationTransportException => true,
        // 500 "Failed to check VM status" fails before the job row exists: safe to try again.
        OmaApiException { StatusCode: HttpStatusCode.InternalServerError, Error: "Failed to check VM status" } => true,
        ReplicationApiException api => api.IsTransient,
        _ => false,
    };

    private static SubmissionResult Failed(ReplicationTarget target, ReplicationJobPlan? plan, Exception? error, bool transient, string? reason = null) => new()
    {
        Status = SubmissionStatus.Failed, Target = target, Plan = plan, Error = error, IsTransient = transient,
        Reason = reason is null ? error?.Message : error is null ? reason : $"{reason}: {error.Message}",
    };

    private static SubmissionResult Blocked(ReplicationTarget target, ReplicationJobPlan plan, string jobId, ReplicationJobStatus? status, string reason) => new()
    {
        Status = SubmissionStatus.BlockedByStaleJob, Target = target, Plan = plan, JobId = jobId, ExistingJobStatus = status,
        Reason = reason + "; an operator must clean it up (the SDK deletes nothing)",
    };

    private static SubmissionResult Unknown(ReplicationTarget target, ReplicationJobPlan plan, DateTimeOffset startedAt, Exception error, string reason) => new()
    {
        Status = SubmissionStatus.OutcomeUnknown, Target = target, Plan = plan, Error = error, RequestStartedAt = startedAt, Reason = reason + "; do not resend blindly",
    };
}
