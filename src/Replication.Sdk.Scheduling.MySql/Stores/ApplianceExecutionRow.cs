using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// How an SDK execution looks in the appliance's <c>schedule_executions</c> table: its status enum, counters and the
/// <c>execution_details</c> JSON its views and GUI read. The SDK's exact status lives in <c>rsdk_executions</c>.
/// </summary>
internal static class ApplianceExecutionRow
{
    /// <summary>The appliance's status enum has six values; the SDK's finer statuses map onto them (see docs/mysql-store.md).</summary>
    public static string Status(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "running",
        ExecutionStatus.Completed or ExecutionStatus.CompletedWithErrors => "completed",
        ExecutionStatus.Failed or ExecutionStatus.Interrupted => "failed",
        ExecutionStatus.Skipped or ExecutionStatus.Missed => "skipped",
        ExecutionStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown execution status"),
    };

    /// <summary>The execution's group when every VM came from one group (the appliance's runs are per group; the SDK's span the schedule).</summary>
    public static string? GroupId(ScheduleExecution execution)
    {
        var groups = execution.VmOutcomes.Select(o => o.GroupId).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return groups.Count == 1 ? groups[0] : null;
    }

    public static int? DurationSeconds(ScheduleExecution execution) =>
        execution.CompletedAt is { } end ? (int)Math.Max(0, Math.Round((end - execution.StartedAt).TotalSeconds)) : null;

    /// <summary>The error text the appliance shows: the error, else the reason of a run that did not complete cleanly.</summary>
    public static string? ErrorMessage(ScheduleExecution execution) => execution.Status switch
    {
        ExecutionStatus.Running or ExecutionStatus.Completed => execution.Error,
        ExecutionStatus.CompletedWithErrors => execution.Error ?? $"completed with errors: {execution.JobsFailed} of {execution.VmsEligible} VMs failed",
        _ => execution.Error ?? execution.Reason,
    };

    /// <summary>The upstream <c>execution_details</c> fields, plus the SDK's trigger kind, exact status and per-VM outcomes.</summary>
    public static string Details(ScheduleExecution execution)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("execution_id", execution.Id);
            json.WriteString("schedule_id", execution.ScheduleId);
            WriteNullable(json, "group_id", GroupId(execution));
            json.WriteString("status", Status(execution.Status));
            json.WriteString("started_at", execution.StartedAt.UtcDateTime);
            json.WriteNumber("vms_eligible", execution.VmsEligible);
            json.WriteNumber("vms_processed", execution.VmOutcomes.Count(o => !o.IsSkipped));
            json.WriteNumber("jobs_created", execution.JobsCreated);
            json.WriteNumber("jobs_completed", execution.JobsCompleted);
            json.WriteNumber("jobs_failed", execution.JobsFailed);
            json.WriteNumber("jobs_skipped", execution.JobsSkipped);
            json.WriteStartArray("vm_contexts_processed");
            foreach (var outcome in execution.VmOutcomes.Where(o => !o.IsSkipped))
            {
                json.WriteStringValue(outcome.ContextId);
            }

            json.WriteEndArray();
            json.WriteStartArray("created_job_ids");
            foreach (var job in execution.CreatedJobIds)
            {
                json.WriteStringValue(job);
            }

            json.WriteEndArray();
            if (execution.CompletedAt is { } end)
            {
                json.WriteNumber("execution_time", (end - execution.StartedAt).Ticks * 100);
            }

            json.WriteStartObject("summary");
            foreach (var group in execution.VmOutcomes.GroupBy(o => Outcome(o.Kind)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(group.Key, group.Count());
            }

            json.WriteEndObject();
            WriteNullable(json, "error_message", ErrorMessage(execution));
            json.WriteString("trigger_kind", TriggerKind(execution.TriggerKind));
            json.WriteString("sdk_status", execution.Status.ToString());
            WriteNullable(json, "instance_id", execution.InstanceId);
            json.WriteStartArray("vm_outcomes");
            foreach (var o in execution.VmOutcomes)
            {
                json.WriteStartObject();
                json.WriteString("vm_context_id", o.ContextId);
                json.WriteString("vm_name", o.VmName);
                json.WriteString("group_id", o.GroupId);
                json.WriteString("outcome", Outcome(o.Kind));
                WriteNullable(json, "skip_reason", o.SkipReason is { } r ? SkipReason(r) : null);
                WriteNullable(json, "job_id", o.JobId);
                WriteNullable(json, "reason", o.Reason);
                json.WriteNumber("attempts", o.Attempts);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string TriggerKind(TriggerKind kind) => kind switch
    {
        Scheduling.TriggerKind.Scheduled => "scheduled",
        Scheduling.TriggerKind.CatchUp => "catch_up",
        Scheduling.TriggerKind.Manual => "manual",
        Scheduling.TriggerKind.Backfill => "backfill",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown trigger kind"),
    };

    /// <summary>snake_case names, as the appliance's JSON speaks.</summary>
    public static string Outcome(VmOutcomeKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>The reference's conflict reason names.</summary>
    public static string SkipReason(SkipReason reason) => reason switch
    {
        Scheduling.SkipReason.ScheduleDisabled => "schedule_disabled",
        Scheduling.SkipReason.VmDisabled => "vm_disabled",
        Scheduling.SkipReason.VmInFailover => "vm_in_failover",
        Scheduling.SkipReason.ActiveJob => "active_job",
        _ => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString()),
    };

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
