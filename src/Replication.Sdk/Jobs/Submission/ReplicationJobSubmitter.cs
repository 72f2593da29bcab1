using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Jobs;

internal sealed class ReplicationJobSubmitter(
    IReplicationJobBuilder builder,
    IOmaClient oma,
    IJobLivenessPolicy liveness,
    IOptions<ReplicationJobOptions> options,
    TimeProvider time,
    ILogger<ReplicationJobSubmitter> logger) : IReplicationJobSubmitter
{
    private const string CheckStatusFailed = "Failed to check VM status";

    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(15);

    public async Task<SubmissionResult> SubmitAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var result = await SubmitCoreAsync(target, scope, cancellationToken).ConfigureAwait(false);
        // Reasons quote VM names, job ids and appliance texts: a host logs them, so they must stay one line.
        result = result with { Reason = SafeText.EscapeOrNull(result.Reason) };
        JobLog.Submitted(logger, SafeText.Escape(target.VmName), result.Status.ToString(), SafeText.EscapeOrNull(result.JobId), SafeText.EscapeOrNull(result.Reason));
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
            return Failed(target, null, ex, IsTransientBeforeCreate(ex));
        }

        // The baseline for reconciliation: the context before we create.
        ContextBaseline baseline;
        try
        {
            baseline = await ReadBaselineAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            // Nothing was sent: whatever made the read fail, the same submission may succeed later.
            return Failed(target, plan, ex, transient: true, "the VM context could not be read before creating, so a lost answer could not be reconciled");
        }

        var startedAt = time.GetUtcNow();
        try
        {
            var created = await oma.CreateReplicationAsync(plan.Request, cancellationToken).ConfigureAwait(false);
            return created switch
            {
                ReplicationJobStarted job => new SubmissionResult { Status = SubmissionStatus.JobCreated, Target = target, Plan = plan, JobId = job.JobId, RequestStartedAt = startedAt },
                VmAddedToManagement added => new SubmissionResult { Status = SubmissionStatus.AddedToManagement, Target = target, Plan = plan, ContextId = added.ContextId, RequestStartedAt = startedAt },
                _ => Failed(target, plan, null, false, $"unexpected create result {created.GetType().Name}") with { RequestStartedAt = startedAt },
            };
        }
        catch (OmaActiveJobConflictException conflict)
        {
            return await ClassifyConflictAsync(target, plan, conflict, baseline.CurrentJobId, cancellationToken).ConfigureAwait(false) with { RequestStartedAt = startedAt };
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
        catch (JobCreationRefusedException ex)
        {
            // The host's gate (the scheduler's lease) stopped the request before it left: nothing was sent.
            return Failed(target, plan, ex, false);
        }
        catch (ArgumentException ex)
        {
            // The client's preconditions refused the request: nothing was sent.
            return Failed(target, plan, ex, false);
        }
        catch (ReplicationTransportException ex)
        {
            // The client reports every failure after the request may have left as outcome-unknown; a transport error
            // from the create means the connection could not be made at all, so nothing was sent.
            return Failed(target, plan, ex, true);
        }
        catch (OmaAuthenticationException ex) when (IsExpiredSession(ex))
        {
            // The OMA's auth middleware refused the create before any handler ran, so nothing was created; the client
            // already renewed and replayed it. A later attempt (the scheduler's retry) may well find a session that holds.
            return Failed(target, plan, ex, transient: true, "the OMA refused the create's session even after logging in again; nothing was created") with { RequestStartedAt = startedAt };
        }
        catch (OmaApiException ex) when (MayHaveMadeJobRow(ex))
        {
            return await FailedAfterJobRowAsync(target, plan, baseline, startedAt, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            return Failed(target, plan, ex, IsTransient(ex)) with { RequestStartedAt = startedAt };
        }
    }

    private async Task<ContextBaseline> ReadBaselineAsync(ReplicationJobPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var details = await oma.GetVmContextAsync(plan.Vm.Name, cancellationToken).ConfigureAwait(false);
            return CreatedJobProbe.IsSameVm(details.Context, plan) ? ContextBaseline.From(details) : ContextBaseline.Unmanaged;
        }
        catch (OmaNotFoundException)
        {
            return ContextBaseline.Unmanaged;
        }
    }

    /// <summary>
    /// A 500 other than "Failed to check VM status" may come after the job row exists (step 9 of the create, reference
    /// §3.2): the OMA neither rolls it back nor unlinks it, so the job blocks the VM and the outcome must name it.
    /// </summary>
    private static bool IsExpiredSession(OmaAuthenticationException ex) =>
        ex.StatusCode == HttpStatusCode.Unauthorized && ApiErrorParser.IsExpiredToken(ex.Error);

    private static bool MayHaveMadeJobRow(OmaApiException ex) =>
        ex.StatusCode == HttpStatusCode.InternalServerError && !string.Equals(ex.Error, CheckStatusFailed, StringComparison.Ordinal);

    /// <summary>How many times the OMA is read to find the job row a failed create may have left.</summary>
    internal const int AfterJobRowProbes = 4;

    private async Task<SubmissionResult> FailedAfterJobRowAsync(ReplicationTarget target, ReplicationJobPlan plan, ContextBaseline baseline, DateTimeOffset startedAt, OmaApiException error, CancellationToken cancellationToken)
    {
        // The job row may exist: look for it as reconciliation does, a few times while the OMA cannot be read. If it still
        // cannot be, whether the create left a job is unknown, and the outcome says so rather than "failed, nothing made".
        CreatedJob? job = null;
        var probe = new CreatedJobProbe(oma, options.Value.ClockSkew);
        var delay = options.Value.ReconciliationInitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                job = await probe.FindAsync(plan, baseline, startedAt, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ReplicationException ex) when (attempt < AfterJobRowProbes)
            {
                JobLog.ProbeRetry(logger, SafeText.Escape(plan.Vm.Name), attempt, SafeText.Escape(ex.Message));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }
            catch (ReplicationException ex)
            {
                return Unknown(target, plan, startedAt, error,
                    $"the create failed after the job row may have been made, and the OMA could not be read to see whether it was ({ex.Message})");
            }
        }

        if (job is null)
        {
            return Failed(target, plan, error, false) with { RequestStartedAt = startedAt };
        }

        return Failed(target, plan, error, false, $"the OMA created job {job.JobId} but failed to start it; the job blocks the VM until an operator cleans it up (the SDK deletes nothing)")
            with { RequestStartedAt = startedAt, JobId = job.JobId, ExistingJobStatus = job.Status };
    }

    private async Task<SubmissionResult> ClassifyConflictAsync(ReplicationTarget target, ReplicationJobPlan plan, OmaActiveJobConflictException conflict, string? baseline, CancellationToken cancellationToken)
    {
        var jobId = conflict.ActiveJobId ?? baseline;
        if (jobId is null)
        {
            return Failed(target, plan, conflict, false, "the OMA reports an active job but names none");
        }

        var verdict = await liveness.JudgeAsync(jobId, null, cancellationToken).ConfigureAwait(false);
        return verdict.Liveness switch
        {
            JobLiveness.Missing => Blocked(target, plan, jobId, null, $"the OMA blocks the VM with job {jobId}, which no longer exists"),
            JobLiveness.Ended => Blocked(target, plan, jobId, verdict.Job!.Status, $"the OMA blocks the VM with job {jobId}, which ended as '{verdict.Job.Status}'"),
            JobLiveness.Stale => Blocked(target, plan, jobId, verdict.Job!.Status, verdict.Reason),
            // Unknown is never stale: nothing tells an operator to clean up, and a later attempt may see the evidence. The
            // job is not this submission's, so the result does not name it as if it were.
            JobLiveness.Unknown => Failed(target, plan, null, true, $"the VM has job {jobId}: {verdict.Reason}") with { Error = verdict.Error },
            _ => new SubmissionResult
            {
                Status = SubmissionStatus.ActiveJobExists, Target = target, Plan = plan, JobId = jobId, ExistingJobStatus = verdict.Job!.Status,
                Reason = $"the VM already has job {jobId} in status '{verdict.Job.Status}' ({verdict.Reason})",
            },
        };
    }

    /// <summary>§3.6: poll the OMA for the job the create made; adopt it once found, else report "not created".</summary>
    private async Task<SubmissionResult> ReconcileAsync(ReplicationTarget target, ReplicationJobPlan plan, ContextBaseline baseline, DateTimeOffset startedAt, ReplicationOutcomeUnknownException cause, CancellationToken cancellationToken)
    {
        JobLog.Reconciling(logger, SafeText.Escape(plan.Vm.Name), SafeText.EscapeOrNull(baseline.CurrentJobId));
        var o = options.Value;
        var probe = new CreatedJobProbe(oma, o.ClockSkew);
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
                    var job = await probe.FindAsync(plan, baseline, startedAt, cancellationToken).ConfigureAwait(false);
                    omaAnswered = true;
                    if (job is not null)
                    {
                        JobLog.Reconciled(logger, SafeText.Escape(plan.Vm.Name), "adopted", SafeText.Escape(job.JobId));
                        return new SubmissionResult
                        {
                            Status = SubmissionStatus.JobAdopted, Target = target, Plan = plan, JobId = job.JobId, ExistingJobStatus = job.Status,
                            RequestStartedAt = startedAt, Reason = $"the create's answer was lost or unusable; job {job.JobId} was found on the OMA and confirmed",
                        };
                    }
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

        JobLog.Reconciled(logger, SafeText.Escape(plan.Vm.Name), "not created", null);
        return new SubmissionResult
        {
            Status = SubmissionStatus.NotCreated, Target = target, Plan = plan, Error = cause, RequestStartedAt = startedAt,
            Reason = $"the create's answer was lost and no new job appeared on the VM context within {o.ReconciliationTimeout:g}; one resend is safe",
        };
    }

    /// <summary>Whether the same submission may succeed later. Build errors, 400s and 409s are permanent.</summary>
    internal static bool IsTransient(ReplicationException ex) => ex switch
    {
        ReplicationJobBuildException or ReplicationConfigurationException or ReplicationResponseFormatException => false,
        ReplicationTransportException => true,
        // 500 "Failed to check VM status" fails before the job row exists: safe to try again.
        OmaApiException { StatusCode: HttpStatusCode.InternalServerError, Error: CheckStatusFailed } => true,
        ReplicationApiException api => api.IsTransient,
        _ => false,
    };

    /// <summary>
    /// Before the create nothing was sent, so only a deterministic refusal (the VM is not there, ambiguous, invalid, or
    /// the configuration is incomplete) is permanent; an unreadable or failed read may go better next time.
    /// </summary>
    private static bool IsTransientBeforeCreate(ReplicationException ex) => ex switch
    {
        ReplicationJobBuildException or ReplicationConfigurationException => false,
        ReplicationResponseFormatException => true,
        _ => IsTransient(ex),
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
