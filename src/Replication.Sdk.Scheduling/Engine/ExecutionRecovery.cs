using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Jobs;

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
        var now = time.GetUtcNow();
        var owner = fence.Current ?? throw new LeaseLostException(options.InstanceId, $"Scheduler instance '{options.InstanceId}' holds no lease, so it cannot take executions over.");
        foreach (var running in await executions.GetRunningAsync(ct).ConfigureAwait(false))
        {
            if (!orphaned(running) || local.Owns(running.Id))
            {
                continue;
            }

            var outcomes = running.VmOutcomes.Select(o => o.Kind switch
            {
                VmOutcomeKind.Pending => o with { Kind = VmOutcomeKind.Cancelled, Reason = "the execution was interrupted before the VM started", CompletedAt = now },
                VmOutcomeKind.Submitting => o with { Kind = VmOutcomeKind.OutcomeUnknown, Reason = "the process stopped during the submission; reconcile before resending", CompletedAt = now },
                _ => o,
            }).ToList();
            var interrupted = running with
            {
                Status = ExecutionStatus.Interrupted,
                CompletedAt = now,
                VmOutcomes = outcomes,
                Reason = reason,
                InstanceId = owner.InstanceId,
                LeaseToken = owner.Token,
            };

            // Compare-and-set on the token it was read with: of two instances taking it over at once, one wins.
            if (!await executions.TryTakeOverAsync(interrupted, running.LeaseToken, ct).ConfigureAwait(false))
            {
                continue;
            }

            var jobs = outcomes.Where(o => o.Kind == VmOutcomeKind.JobInProgress && o.JobId is not null).ToList();
            SchedulerLog.Interrupted(logger, running.Id, running.InstanceId ?? "?", jobs.Count);
            telemetry.Execution(interrupted);
            await events.FinishedAsync(interrupted).ConfigureAwait(false);

            foreach (var job in jobs)
            {
                slots.Force(running.ScheduleId, job.GroupId);
                local.Background(ReattachAsync(running.Id, running.ScheduleId, job));
            }
        }
    }

    private async Task ReattachAsync(string executionId, string scheduleId, VmOutcome outcome)
    {
        var stopping = local.Stopping;
        await Task.Yield();
        try
        {
            var tracker = new JobTracker(services.GetRequiredService<IJobLivenessPolicy>(), options, time, telemetry);
            var (kind, reason) = await tracker.TrackAsync(outcome.JobId!, stopping).ConfigureAwait(false);
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (await executions.GetAsync(executionId, CancellationToken.None).ConfigureAwait(false) is { } current)
                {
                    var final = outcome with { Kind = kind, Reason = reason ?? outcome.Reason, CompletedAt = time.GetUtcNow() };
                    await executions.UpdateAsync(current with { VmOutcomes = [.. current.VmOutcomes.Select(o => o.ContextId == outcome.ContextId ? final : o)] }, CancellationToken.None).ConfigureAwait(false);
                    telemetry.Outcome(final);
                    SchedulerLog.VmOutcome(logger, executionId, final.VmName, final.Kind, final.JobId ?? "-", final.Reason ?? "");
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (LeaseLostException)
        {
            // This instance lost its lease while tracking: the job is the new owner's to follow.
            SchedulerLog.ExecutionAbandoned(logger, executionId);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping or abandoning: the record keeps the job in progress for whoever recovers it.
        }
        finally
        {
            slots.Release(scheduleId, outcome.GroupId);
        }
    }

    public void Dispose() => _gate.Dispose();
}
