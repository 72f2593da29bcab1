using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>The MySQL stores' log events (3000–3099).</summary>
internal static partial class MySqlStoreLog
{
    [LoggerMessage(3000, LogLevel.Warning, "Schedule {ScheduleId} is skipped: {Problem}")]
    public static partial void ScheduleUnusable(ILogger logger, string scheduleId, string problem);

    [LoggerMessage(3001, LogLevel.Information, "{Count} schedules changed in the schedule tables; the scheduler re-plans them")]
    public static partial void SchedulesChanged(ILogger logger, int count);

    [LoggerMessage(3002, LogLevel.Warning, "Checking the schedule tables for changes failed; trying again in {Interval}")]
    public static partial void ChangePollFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(3003, LogLevel.Information, "Replication.Sdk tables are at schema version {Version}")]
    public static partial void SchemaReady(ILogger logger, int version);

    [LoggerMessage(3004, LogLevel.Warning, "The scheduler database could not be reached at start; the scheduler keeps retrying")]
    public static partial void DatabaseUnreachableAtStart(ILogger logger, Exception exception);

    [LoggerMessage(3005, LogLevel.Information, "Retention sweep deleted {Executions} finished executions and {Claims} occurrence claims completed before {Cutoff:O} (retention {Retention}) in {Batches} batches")]
    public static partial void RetentionSwept(ILogger logger, int executions, int claims, int batches, DateTimeOffset cutoff, TimeSpan retention);

    [LoggerMessage(3006, LogLevel.Warning, "Retention sweep of the rsdk_ tables failed; trying again in {Interval}")]
    public static partial void RetentionSweepFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(3007, LogLevel.Information, "Retention is off (ExecutionRetention = 0 and AuditRetention = 0): the rsdk_ tables keep every execution and audit record")]
    public static partial void RetentionOff(ILogger logger);

    [LoggerMessage(3008, LogLevel.Debug, "Retention sweep skipped: another instance holds the sweep lock")]
    public static partial void RetentionSweepSkipped(ILogger logger);

    [LoggerMessage(3009, LogLevel.Debug, "Retention sweep found no finished executions completed before {Cutoff:O}")]
    public static partial void RetentionNothingExpired(ILogger logger, DateTimeOffset cutoff);

    [LoggerMessage(3010, LogLevel.Information, "Retention sweep deleted {Records} operator audit records older than {Cutoff:O} (retention {Retention})")]
    public static partial void AuditRetentionSwept(ILogger logger, int records, DateTimeOffset cutoff, TimeSpan retention);

    [LoggerMessage(3011, LogLevel.Debug, "A group or membership was written; no schedule is re-planned (groups are read when an occurrence runs)")]
    public static partial void GroupsChanged(ILogger logger);

    [LoggerMessage(3012, LogLevel.Debug, "The write of {Id} was ended by the database as a deadlock's victim (attempt {Attempt}); it is run again")]
    public static partial void WriteDeadlockRetried(ILogger logger, string id, int attempt);
}
