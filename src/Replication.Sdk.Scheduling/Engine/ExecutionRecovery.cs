using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Executions left running by a process that stopped (this instance before a restart, or a dead instance whose lease
/// lapsed) become <see cref="ExecutionStatus.Interrupted"/>: VMs that had not finished get an honest outcome, and jobs they
/// had created are tracked again so limits stay correct and each job's end is still recorded.
/// </summary>
internal sealed class ExecutionRecovery(
    IServiceProvider services,
    ResilientExecutionStore executions,
    SlotBoard slots,
    ExecutionEvents events,
    SchedulerTelemetry telemetry,
    SchedulerOptions options,
    TimeProvider time,
    LocalExecutions local,
    LeaseFence fence,
    ILogger logger) : IDisposable
{
    /// <summary>Serialises the read-modify-write of interrupted executions by re-attached job trackers.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// This instance id's executions from an earlier acquisition, found running at its start (this id's lease had
    /// expired, so that process had stopped), and records without an owner.
    /// </summary>
    public Task RecoverOwnAsync(CancellationToken ct) =>
        InterruptAsync(
            e => (e.InstanceId is null || string.Equals(e.InstanceId, options.InstanceId, StringComparison.Ordinal))
                && !string.Equals(e.LeaseToken, fence.Current?.Token, StringComparison.Ordinal),
            $"found running when scheduler instance '{options.InstanceId}' started: its process had stopped",
            ct);

    /// <summary>A dead acquisition's executions, after this instance won its lapsed lease.</summary>
    public Task TakeOverAsync(InstanceLeaseToken dead, CancellationToken ct) =>
        InterruptAsync(
            e => e.LeaseToken is null
                ? string.Equals(e.InstanceId, dead.InstanceId, StringComparison.Ordinal)
                : string.Equals(e.LeaseToken, dead.Token, StringComparison.Ordinal),
            $"scheduler instance '{dead.InstanceId}' stopped renewing its lease; taken over by instance '{options.InstanceId}'",
            ct);

    private async Task InterruptAsync(Func<ScheduleExecution, bool> orphaned, string reason, CancellationToken ct)
    {
        var owner = fence.Current ?? throw new LeaseLostException(options.InstanceId, $"Scheduler instance '{options.InstanceId}' holds no lease, so it cannot take executions over.");
        foreach (var running in await executions.GetRunningAsync(ct).ConfigureAwait(false))
        {
            if (!orphaned(running) || local.Owns(running.Id))
            {
                continue;
            }

            var now = time.GetUtcNow();
            var outcomes = new List<VmOutcome>(running.VmOutcomes.Count);
            foreach (var o in running.VmOutcomes)
            {
                outcomes.Add(o.Kind switch
                {
                    VmOutcomeKind.Pending => o with { Kind = VmOutcomeKind.Cancelled, Reason = "the execution was interrupted before the VM started", CompletedAt = now },
                    VmOutcomeKind.Submitting => await ReconcileAsync(running, o, ct).ConfigureAwait(false),
                    _ => o,
                });
            }

            // A taken-over execution stays running, now this instance's, while the jobs it inherited are followed: if
            // this instance dies or loses its lease meanwhile, whoever takes its lease over follows them again.
            var jobs = outcomes.Where(o => o.Kind == VmOutcomeKind.JobInProgress && o.JobId is not null).ToList();
            var taken = running with
            {
                Status = jobs.Count > 0 ? ExecutionStatus.Running : ExecutionStatus.Interrupted,
                CompletedAt = jobs.Count > 0 ? null : now,
                VmOutcomes = outcomes,
                Reason = reason,
                InstanceId = owner.InstanceId,
                LeaseToken = owner.Token,
            };

            // Compare-and-set on the token it was read with: of two instances taking it over at once, one wins.
            local.Own(running.Id);
            bool won;
            try
            {
                won = await executions.TryTakeOverAsync(taken, running.LeaseToken, ct).ConfigureAwait(false);
            }
            catch
            {
                local.Disown(running.Id);
                throw;
            }

            SchedulerLog.Interrupted(logger, running.Id, running.InstanceId ?? "?", jobs.Count);
            if (!won)
            {
                local.Disown(running.Id);
            }
            else if (jobs.Count == 0)
            {
                local.Disown(running.Id);
                telemetry.Execution(taken);
                await events.FinishedAsync(taken).ConfigureAwait(false);
            }
            else
            {
                jobs.ForEach(job => slots.Force(running.ScheduleId, job.GroupId));
                local.Run(running.Id, FollowAsync(taken, jobs));
            }
        }
    }

    /// <summary>
    /// A VM caught mid-create by the stop of its instance: the create may have reached the OMA (its answer lost with
    /// the process), so look for the job it made before calling the outcome unknown. The OMA lets one job run per VM,
    /// so the first job made for the VM since the submission started is that create's.
    /// </summary>
    private async Task<VmOutcome> ReconcileAsync(ScheduleExecution running, VmOutcome submitting, CancellationToken ct)
    {
        var unknown = submitting with { Kind = VmOutcomeKind.OutcomeUnknown, Reason = "the process stopped during the submission; reconcile before resending", CompletedAt = time.GetUtcNow() };
        try
        {
            var vms = await services.GetRequiredService<IScheduleStore>().GetVmContextsAsync([submitting.ContextId], ct).ConfigureAwait(false);
            var vm = vms.Count > 0 ? vms[0] : null;
            var probe = new CreatedJobProbe(services.GetRequiredService<IOmaClient>(), services.GetRequiredService<IOptions<ReplicationJobOptions>>().Value.ClockSkew);
            var found = await probe.FindAsync(submitting.VmName, vm?.VmwareVmId, vm?.VCenterHost, ContextBaseline.Unmanaged, submitting.StartedAt ?? running.StartedAt, ct).ConfigureAwait(false);
            return found is null
                ? unknown with { Reason = "the process stopped during the submission and the OMA shows no job made since; reconcile before resending" }
                : submitting with { Kind = VmOutcomeKind.JobInProgress, JobId = found.JobId, Reason = "the process stopped during the submission; the job it created was found on the OMA and is followed" };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The OMA could not be read: the outcome stays unknown, which is honest; the takeover goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
            return unknown;
        }
    }

    /// <summary>Follows the inherited jobs to their end, then ends the record: <see cref="ExecutionStatus.Interrupted"/>.</summary>
    private async Task<ScheduleExecution> FollowAsync(ScheduleExecution taken, List<VmOutcome> jobs)
    {
        var stopping = local.Stopping;
        await Task.Yield();
        try
        {
            try
            {
                await Task.WhenAll(jobs.Select(job => TrackAsync(taken, job, stopping))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !fence.IsLost)
            {
                // A clean stop: the record ends now, its unfinished jobs still in progress, as a stopped run's do.
            }

            // Written under this instance's own token, never the one read back: a record another instance took over since refuses it.
            var current = await executions.GetAsync(taken.Id, CancellationToken.None).ConfigureAwait(false) ?? taken;
            var final = current with { Status = ExecutionStatus.Interrupted, CompletedAt = time.GetUtcNow(), InstanceId = taken.InstanceId, LeaseToken = taken.LeaseToken };
            await FinalWrite.UntilDurableAsync(() => executions.UpdateAsync(final, CancellationToken.None), final.Id, time, logger, stopping).ConfigureAwait(false);
            telemetry.Execution(final);
            await events.FinishedAsync(final).ConfigureAwait(false);
            return final;
        }
        catch (Exception ex) when (ex is LeaseLostException || (ex is OperationCanceledException && fence.IsLost))
        {
            // This instance lost its lease: the record (still running, under the old token) is the new owner's to follow.
            SchedulerLog.ExecutionAbandoned(logger, taken.Id);
            return taken;
        }
    }

    private async Task TrackAsync(ScheduleExecution taken, VmOutcome outcome, CancellationToken stopping)
    {
        var executionId = taken.Id;
        var scheduleId = taken.ScheduleId;
        try
        {
            var tracker = new JobTracker(services.GetRequiredService<IJobLivenessPolicy>(), options, time, telemetry);
            var (kind, reason) = await tracker.TrackAsync(outcome.JobId!, stopping).ConfigureAwait(false);

            // The tracker answers "still running" when it is stopped: that is no outcome, the stop decides.
            stopping.ThrowIfCancellationRequested();
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (await executions.GetAsync(executionId, CancellationToken.None).ConfigureAwait(false) is { } current)
                {
                    var final = outcome with { Kind = kind, Reason = reason ?? outcome.Reason, CompletedAt = time.GetUtcNow() };
                    var update = current with
                    {
                        VmOutcomes = [.. current.VmOutcomes.Select(o => o.ContextId == outcome.ContextId ? final : o)],
                        InstanceId = taken.InstanceId,
                        LeaseToken = taken.LeaseToken,
                    };
                    await executions.UpdateAsync(update, CancellationToken.None).ConfigureAwait(false);
                    telemetry.Outcome(final);
                    SchedulerLog.VmOutcome(logger, executionId, final.VmName, final.Kind, final.JobId ?? "-", final.Reason ?? "");
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            slots.Release(scheduleId, outcome.GroupId);
        }
    }

    public void Dispose() => _gate.Dispose();
}
