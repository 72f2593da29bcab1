using Microsoft.Extensions.Logging;
using Replication.Sdk.Diagnostics;

namespace Replication.Sdk.Scheduling;

/// <summary>The scheduler's log events. Execution lines carry the execution id; VM lines also the VM name.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(2000, LogLevel.Information, "Scheduler {InstanceId} started with {ScheduleCount} active schedules")]
    public static partial void Started(ILogger logger, string instanceId, int scheduleCount);

    [LoggerMessage(2001, LogLevel.Error, "Schedule {ScheduleId} cannot run: {Error}")]
    private static partial void InvalidScheduleCore(ILogger logger, string scheduleId, string error);

    [LoggerMessage(2002, LogLevel.Debug, "Occurrence {ScheduledFor:O} of schedule {ScheduleId} was claimed by another scheduler")]
    public static partial void ClaimedElsewhere(ILogger logger, string scheduleId, DateTimeOffset scheduledFor);

    [LoggerMessage(2003, LogLevel.Information, "Execution {ExecutionId} of schedule {ScheduleId} started ({TriggerKind}, for {ScheduledFor:O})")]
    public static partial void ExecutionStarted(ILogger logger, string executionId, string scheduleId, TriggerKind triggerKind, DateTimeOffset scheduledFor);

    [LoggerMessage(2004, LogLevel.Information, "Execution {ExecutionId} finished {Status}: eligible {Eligible}, created {Created}, completed {Completed}, failed {Failed}, skipped {Skipped}")]
    public static partial void ExecutionFinished(ILogger logger, string executionId, ExecutionStatus status, int eligible, int created, int completed, int failed, int skipped);

    [LoggerMessage(2005, LogLevel.Warning, "Execution {ExecutionId} of schedule {ScheduleId} recorded as {Status}: {Reason}")]
    private static partial void ExecutionNotRunCore(ILogger logger, string executionId, string scheduleId, ExecutionStatus status, string reason);

    [LoggerMessage(2060, LogLevel.Information, "Execution {ExecutionId} of schedule {ScheduleId} is outside its replication window; deferred to {StartAt:O}")]
    private static partial void ExecutionDeferredCore(ILogger logger, string executionId, string scheduleId, DateTimeOffset startAt);

    [LoggerMessage(2010, LogLevel.Information, "Execution {ExecutionId}, VM {VmName}: {Outcome}, job {JobId}: {Reason}")]
    private static partial void VmOutcomeCore(ILogger logger, string executionId, string vmName, VmOutcomeKind outcome, string jobId, string reason);

    [LoggerMessage(2011, LogLevel.Information, "Execution {ExecutionId}, VM {VmName}: submission attempt {Attempt} failed transiently; retrying in {Delay}")]
    private static partial void RetryingCore(ILogger logger, string executionId, string vmName, int attempt, TimeSpan delay);

    [LoggerMessage(2012, LogLevel.Information, "Execution {ExecutionId}, VM {VmName}: job {JobId} created; tracking it")]
    private static partial void JobStartedCore(ILogger logger, string executionId, string vmName, string jobId);

    [LoggerMessage(2013, LogLevel.Warning, "Execution {ExecutionId}, VM {VmName}: RPO {RpoTarget} breached (last completed job {LastCompletedJobAt})")]
    private static partial void RpoBreachedCore(ILogger logger, string executionId, string vmName, TimeSpan rpoTarget, string lastCompletedJobAt);

    [LoggerMessage(2020, LogLevel.Warning, "Execution {ExecutionId} of scheduler instance {OwnerInstanceId} is now interrupted; re-attaching {JobCount} jobs")]
    private static partial void InterruptedCore(ILogger logger, string executionId, string ownerInstanceId, int jobCount);

    [LoggerMessage(2021, LogLevel.Warning, "Execution observer {Observer} failed")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer);

    [LoggerMessage(2022, LogLevel.Error, "Execution {ExecutionId} failed")]
    public static partial void ExecutionCrashed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(2023, LogLevel.Error, "The scheduler loop failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(2024, LogLevel.Warning, "Execution store call {Operation} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void StoreRetrying(ILogger logger, Exception? exception, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(2025, LogLevel.Warning, "Scheduler instance {DeadInstanceId} stopped renewing its lease; instance {InstanceId} takes over its running executions")]
    public static partial void TakingOver(ILogger logger, string deadInstanceId, string instanceId);

    [LoggerMessage(2026, LogLevel.Error, "Renewing the lease of scheduler instance {InstanceId} failed; retrying")]
    public static partial void LeaseFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(2027, LogLevel.Error, "Occurrence {ScheduledFor:O} of schedule {ScheduleId} could not be claimed or started; trying again at {RetryAt:O}")]
    public static partial void FireFailed(ILogger logger, Exception exception, string scheduleId, DateTimeOffset scheduledFor, DateTimeOffset retryAt);

    [LoggerMessage(2028, LogLevel.Error, "The final record of execution {ExecutionId} could not be written; trying again in {Delay}")]
    public static partial void FinalWriteFailed(ILogger logger, Exception exception, string executionId, TimeSpan delay);

    [LoggerMessage(2029, LogLevel.Error, "Execution {ExecutionId} of schedule {ScheduleId} failed after its claim: {Error}")]
    public static partial void FailedAfterClaim(ILogger logger, Exception exception, string executionId, string scheduleId, string error);

    [LoggerMessage(2030, LogLevel.Critical, "Scheduler instance {InstanceId} lost its lease ({Why}): it stops dispatching, abandons its executions without writing them (the instance that took the lease over owns them) and rejoins with a new lease")]
    public static partial void LeaseLost(ILogger logger, string instanceId, string why);

    [LoggerMessage(2031, LogLevel.Warning, "The lease of scheduler instance {InstanceId} is held until {HeldUntil:O}: waiting to see whether its holder is alive (a renewal means another live process uses this id)")]
    public static partial void WaitingForLease(ILogger logger, string instanceId, DateTimeOffset heldUntil);

    [LoggerMessage(2032, LogLevel.Warning, "Execution {ExecutionId}: its write was refused because the lease it runs under is gone; abandoned to the instance that took it over")]
    public static partial void ExecutionAbandoned(ILogger logger, string executionId);

    [LoggerMessage(2033, LogLevel.Information, "Scheduler instance {InstanceId} acquired its lease")]
    public static partial void LeaseAcquired(ILogger logger, string instanceId);

    [LoggerMessage(2040, LogLevel.Warning, "The RPO state of schedule {ScheduleId} could not be read or written; its RPO breaches are checked again at its next execution")]
    private static partial void RpoStateFailedCore(ILogger logger, Exception exception, string scheduleId);

    [LoggerMessage(2070, LogLevel.Warning, "{Target} paused by {PausedBy} until {ResumeAt}: {Reason}")]
    private static partial void PausedCore(ILogger logger, string target, string pausedBy, string resumeAt, string reason);

    [LoggerMessage(2071, LogLevel.Information, "{Target} resumed by {ResumedBy} (automatic: {Automatic}); while paused it skipped {SkippedCount} times, {Recorded} recorded as executions")]
    private static partial void ResumedCore(ILogger logger, string target, string resumedBy, bool automatic, long skippedCount, int recorded);

    [LoggerMessage(2072, LogLevel.Debug, "Occurrence {ScheduledFor:O} of paused schedule {ScheduleId} counted without a record: the pause is past its cap of skip records")]
    private static partial void PausedSkipCountedCore(ILogger logger, string scheduleId, DateTimeOffset scheduledFor);

    [LoggerMessage(2073, LogLevel.Warning, "Schedule {ScheduleId} auto-paused after {Failures} consecutive failed executions (the last: {ExecutionId}); resume it once the cause is fixed")]
    private static partial void AutoPausedCore(ILogger logger, string scheduleId, int failures, string executionId);

    [LoggerMessage(2074, LogLevel.Error, "The pause state of schedule {ScheduleId} could not be read or written; its failure streak is checked again after its next failed execution")]
    private static partial void AutoPauseFailedCore(ILogger logger, Exception exception, string scheduleId);

    [LoggerMessage(2075, LogLevel.Warning, "Execution {ExecutionId}: the skip of paused {Target} could not be counted on its pause; the VMs are skipped and recorded all the same")]
    private static partial void PauseTallyFailedCore(ILogger logger, Exception exception, string executionId, string target);

    public static void PauseTallyFailed(ILogger logger, Exception exception, string executionId, PauseTarget target) => PauseTallyFailedCore(logger, exception, executionId, SafeText.Escape(target.ToString()));

    public static void Paused(ILogger logger, PauseTarget target, string pausedBy, DateTimeOffset? resumeAt, string reason) =>
        PausedCore(logger, SafeText.Escape(target.ToString()), SafeText.Escape(pausedBy), resumeAt is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "resumed", SafeText.Escape(reason));

    public static void Resumed(ILogger logger, PauseTarget target, string resumedBy, bool automatic, long skippedCount, int recorded) =>
        ResumedCore(logger, SafeText.Escape(target.ToString()), SafeText.Escape(resumedBy), automatic, skippedCount, recorded);

    public static void PausedSkipCounted(ILogger logger, string scheduleId, DateTimeOffset scheduledFor) => PausedSkipCountedCore(logger, SafeText.Escape(scheduleId), scheduledFor);

    public static void AutoPaused(ILogger logger, string scheduleId, int failures, string executionId) => AutoPausedCore(logger, SafeText.Escape(scheduleId), failures, executionId);

    public static void AutoPauseFailed(ILogger logger, Exception exception, string scheduleId) => AutoPauseFailedCore(logger, exception, SafeText.Escape(scheduleId));

    // Names, ids and reasons come from stores, vCenter and appliances: escaped, so none can forge a log line of its own.
    public static void InvalidSchedule(ILogger logger, string scheduleId, string error) => InvalidScheduleCore(logger, SafeText.Escape(scheduleId), SafeText.Escape(error));

    public static void ExecutionDeferred(ILogger logger, string executionId, string scheduleId, DateTimeOffset startAt) => ExecutionDeferredCore(logger, executionId, SafeText.Escape(scheduleId), startAt);

    public static void ExecutionNotRun(ILogger logger, string executionId, string scheduleId, ExecutionStatus status, string reason) => ExecutionNotRunCore(logger, executionId, SafeText.Escape(scheduleId), status, SafeText.Escape(reason));

    // A missing job or reason is said in words: a log line never reads "(null)", "job -" or ends in ": ".
    public static void VmOutcome(ILogger logger, string executionId, string vmName, VmOutcomeKind outcome, string? jobId, string? reason) =>
        VmOutcomeCore(logger, executionId, SafeText.Escape(vmName), outcome, string.IsNullOrEmpty(jobId) || jobId == "-" ? "none" : SafeText.Escape(jobId),
            string.IsNullOrEmpty(reason) ? (outcome == VmOutcomeKind.JobCompleted ? "the job completed" : "no reason recorded") : SafeText.Escape(reason));

    public static void Interrupted(ILogger logger, string executionId, string? ownerInstanceId, int jobCount) =>
        InterruptedCore(logger, executionId, string.IsNullOrEmpty(ownerInstanceId) ? "unknown" : SafeText.Escape(ownerInstanceId), jobCount);

    public static void Retrying(ILogger logger, string executionId, string vmName, int attempt, TimeSpan delay) => RetryingCore(logger, executionId, SafeText.Escape(vmName), attempt, delay);

    public static void JobStarted(ILogger logger, string executionId, string vmName, string jobId) => JobStartedCore(logger, executionId, SafeText.Escape(vmName), SafeText.Escape(jobId));

    public static void RpoBreached(ILogger logger, string executionId, string vmName, TimeSpan rpoTarget, DateTimeOffset? lastCompletedJobAt) =>
        RpoBreachedCore(logger, executionId, SafeText.Escape(vmName), rpoTarget, lastCompletedJobAt is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never");

    public static void RpoStateFailed(ILogger logger, Exception exception, string scheduleId) => RpoStateFailedCore(logger, exception, SafeText.Escape(scheduleId));

    [LoggerMessage(2041, LogLevel.Information, "Execution {ExecutionId} of schedule {ScheduleId} is buffered behind {BufferedBehind}: it starts when that one ends")]
    private static partial void ExecutionBufferedCore(ILogger logger, string executionId, string scheduleId, string bufferedBehind);

    public static void ExecutionBuffered(ILogger logger, string executionId, string scheduleId, string bufferedBehind) => ExecutionBufferedCore(logger, executionId, SafeText.Escape(scheduleId), bufferedBehind);

    [LoggerMessage(2042, LogLevel.Information, "Execution {ExecutionId} stops starting VMs: execution {RequestedBy} asked (overlap policy CancelOther); {NotStarted} VMs not started")]
    public static partial void ExecutionStopRequested(ILogger logger, string executionId, string requestedBy, int notStarted);

    [LoggerMessage(2043, LogLevel.Warning, "Execution {ExecutionId} could not read its stop request; it goes on starting VMs and looks again before the next")]
    public static partial void StopRequestReadFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(2090, LogLevel.Warning, "RPO forecast of schedule {ScheduleId} over {Horizon}: VM {VmName} reaches a worst age of {WorstAge} against its target {Target}; the target is not attainable with these limits and windows")]
    private static partial void RpoUnattainableCore(ILogger logger, string scheduleId, TimeSpan horizon, string vmName, string worstAge, TimeSpan target);

    public static void RpoUnattainable(ILogger logger, string scheduleId, string vmName, TimeSpan? worstAge, TimeSpan target, TimeSpan horizon) =>
        RpoUnattainableCore(logger, SafeText.Escape(scheduleId), horizon, SafeText.Escape(vmName), worstAge is { } w ? w.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : "no replica", target);

    [LoggerMessage(2091, LogLevel.Information, "Execution {ExecutionId}: VM {VmName} is within its RPO target {Target} again, its job completed at {CompletedAt:O}")]
    private static partial void RpoRecoveredCore(ILogger logger, string executionId, string vmName, TimeSpan target, DateTimeOffset completedAt);

    public static void RpoRecovered(ILogger logger, string executionId, string vmName, TimeSpan target, DateTimeOffset completedAt) =>
        RpoRecoveredCore(logger, executionId, SafeText.Escape(vmName), target, completedAt);
}
