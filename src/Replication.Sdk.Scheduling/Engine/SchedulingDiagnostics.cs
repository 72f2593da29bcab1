using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;

namespace Replication.Sdk.Scheduling;

/// <summary>The names under which the scheduler publishes metrics and traces.</summary>
public static class SchedulingDiagnostics
{
    /// <summary>The meter and activity source name: <c>Replication.Sdk.Scheduling</c>.</summary>
    public const string Name = "Replication.Sdk.Scheduling";

    /// <summary>The name of the activity that spans one execution, from its start to its final record: <c>replication.execution</c>.</summary>
    public const string ExecutionActivityName = "replication.execution";

    /// <summary>The name of the child activity that spans one VM's submission and job tracking: <c>replication.vm</c>.</summary>
    public const string VmActivityName = "replication.vm";

    /// <summary>Counter of finished executions, tagged <c>replication.execution.status</c> and <c>replication.trigger</c>.</summary>
    public const string ExecutionsInstrument = "replication.scheduler.executions";

    /// <summary>Counter of per-VM outcomes, tagged <c>replication.vm.outcome</c> and <c>replication.vm.skip_reason</c>.</summary>
    public const string VmOutcomesInstrument = "replication.scheduler.vm_outcomes";

    /// <summary>Histogram of tracked job durations in seconds, from creation to terminal status, tagged <c>replication.vm.outcome</c>.</summary>
    public const string JobDurationInstrument = "replication.scheduler.job.duration";

    /// <summary>Gauge of job slots in use across all schedules.</summary>
    public const string SlotsInUseInstrument = "replication.scheduler.slots.in_use";

    /// <summary>Counter of RPO breaches, tagged <c>replication.schedule.id</c>.</summary>
    public const string RpoBreachesInstrument = "replication.scheduler.rpo_breaches";

    /// <summary>Histogram of how late executions started, in seconds (start − scheduled-for), tagged <c>replication.trigger</c>; manual executions are not recorded.</summary>
    public const string ScheduleLagInstrument = "replication.scheduler.schedule.lag";

    /// <summary>Gauge of the age in seconds of each VM's last completed job, tagged <c>replication.vm.context_id</c> and <c>replication.vm.name</c>.</summary>
    public const string RpoAgeInstrument = "replication.scheduler.rpo.age";

    /// <summary>Gauge that is 1 while this instance holds an unexpired lease on the store and 0 otherwise, tagged <c>replication.scheduler.instance</c>.</summary>
    public const string LeaseHeldInstrument = "replication.scheduler.lease.held";

    /// <summary>Counter of schedules paused automatically after consecutive failed executions (<see cref="SchedulerOptions.AutoPauseAfterFailures"/>).</summary>
    public const string AutoPausesInstrument = "replication.scheduler.auto_pauses";

    /// <summary>Counter of RPO breaches ended by a completed job (<see cref="IExecutionObserver.OnRpoRecoveredAsync"/>).</summary>
    public const string RpoRecoveriesInstrument = "replication.scheduler.rpo.recoveries";

    /// <summary>Counter of VMs whose RPO target a forecast found unattainable (one per transition, <see cref="IExecutionObserver.OnRpoUnattainableAsync"/>), tagged <c>replication.schedule.id</c>.</summary>
    public const string RpoUnattainableInstrument = "replication.scheduler.rpo.unattainable";

    /// <summary>
    /// Gauge of the VMs of each schedule with an RPO target in each <see cref="RpoState"/>, from this process's latest
    /// 24-hour forecast of the schedule, tagged <c>replication.schedule.id</c> and <c>replication.rpo.state</c>.
    /// </summary>
    public const string RpoVmsInstrument = "replication.scheduler.rpo.vms";

    /// <summary>
    /// Gauge of each group's mean RPO compliance in percent over the past 24 hours or 7 days (<see cref="GroupRpoStatus"/>),
    /// tagged <c>replication.schedule.id</c>, <c>replication.group.id</c> and <c>replication.rpo.window</c> (<c>24h</c>, <c>7d</c>).
    /// </summary>
    public const string RpoComplianceInstrument = "replication.scheduler.rpo.compliance";

    /// <summary>Gets the version the meter and activity source report: the package's informational version.</summary>
    public static string Version { get; } = VersionOf(typeof(SchedulingDiagnostics).Assembly);

    internal static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";

        // SourceLink appends "+<commit>": the meter version is the package version.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

internal sealed class SchedulerTelemetry : IDisposable
{
    internal static readonly ActivitySource ActivitySource = new(SchedulingDiagnostics.Name, SchedulingDiagnostics.Version);

    private readonly Meter _meter;
    private readonly Counter<long> _executions;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _jobDuration;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _rpo;
    private readonly Counter<long> _autoPauses;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _unattainable;

    public SchedulerTelemetry(IMeterFactory? meterFactory, Func<int> slotsInUse, RpoTracker? rpo = null, SchedulerHealth? health = null, TimeProvider? time = null, RpoBoard? board = null)
    {
        var options = new MeterOptions(SchedulingDiagnostics.Name) { Version = SchedulingDiagnostics.Version };
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _executions = _meter.CreateCounter<long>(SchedulingDiagnostics.ExecutionsInstrument, "{execution}", "Finished schedule executions.");
        _outcomes = _meter.CreateCounter<long>(SchedulingDiagnostics.VmOutcomesInstrument, "{vm}", "Per-VM outcomes of executions.");
        _jobDuration = _meter.CreateHistogram<double>(SchedulingDiagnostics.JobDurationInstrument, "s", "Duration of tracked replication jobs.");
        _lag = _meter.CreateHistogram<double>(SchedulingDiagnostics.ScheduleLagInstrument, "s", "How late executions started after the occurrence they run.");
        _rpo = _meter.CreateCounter<long>(SchedulingDiagnostics.RpoBreachesInstrument, "{breach}", "RPO breaches detected.");
        _autoPauses = _meter.CreateCounter<long>(SchedulingDiagnostics.AutoPausesInstrument, "{pause}", "Schedules paused automatically after consecutive failed executions.");
        _recoveries = _meter.CreateCounter<long>(SchedulingDiagnostics.RpoRecoveriesInstrument, "{breach}", "RPO breaches ended by a completed job.");
        _unattainable = _meter.CreateCounter<long>(SchedulingDiagnostics.RpoUnattainableInstrument, "{vm}", "VMs an RPO forecast found unattainable.");
        _meter.CreateObservableGauge(SchedulingDiagnostics.SlotsInUseInstrument, slotsInUse, "{slot}", "Job slots in use.");
        var clock = time ?? TimeProvider.System;
        if (rpo is not null)
        {
            _meter.CreateObservableGauge(SchedulingDiagnostics.RpoAgeInstrument, () => RpoAges(rpo, clock), "s", "Age of each VM's last completed replication job.");
        }

        if (board is not null)
        {
            _meter.CreateObservableGauge(SchedulingDiagnostics.RpoVmsInstrument, () => RpoStates(board, clock), "{vm}", "VMs of each schedule with an RPO target in each RPO state.");
            _meter.CreateObservableGauge(SchedulingDiagnostics.RpoComplianceInstrument, () => RpoCompliances(board, clock), "%", "Each group's mean RPO compliance over the past 24 hours or 7 days.");
        }

        if (health is not null)
        {
            _meter.CreateObservableGauge(
                SchedulingDiagnostics.LeaseHeldInstrument,
                () => new Measurement<int>(health.LeaseHeld(clock.GetUtcNow()) ? 1 : 0, new KeyValuePair<string, object?>("replication.scheduler.instance", health.InstanceId)),
                "{lease}",
                "1 while this scheduler instance holds an unexpired lease on the store.");
        }
    }

    public void Execution(ScheduleExecution execution) =>
        _executions.Add(1, new TagList { { "replication.execution.status", execution.Status.ToString() }, { "replication.trigger", execution.TriggerKind.ToString() } });

    public void Outcome(VmOutcome outcome) =>
        _outcomes.Add(1, new TagList { { "replication.vm.outcome", outcome.Kind.ToString() }, { "replication.vm.skip_reason", outcome.SkipReason?.ToString() } });

    public void JobDuration(TimeSpan duration, VmOutcomeKind kind) =>
        _jobDuration.Record(duration.TotalSeconds, new TagList { { "replication.vm.outcome", kind.ToString() } });

    public void RpoBreach(string scheduleId) => _rpo.Add(1, new TagList { { "replication.schedule.id", scheduleId } });

    public void AutoPause() => _autoPauses.Add(1);

    public void RpoRecovered() => _recoveries.Add(1);

    public void RpoUnattainable(string scheduleId, int vms) => _unattainable.Add(vms, new TagList { { "replication.schedule.id", scheduleId } });

    /// <summary>Starts the span of one execution; it ends with <see cref="EndExecution"/>.</summary>
    public Activity? StartExecution(ScheduleExecution execution)
    {
        if (execution.TriggerKind is not (TriggerKind.Manual or TriggerKind.Backfill))
        {
            // A manual run has no occurrence to be late for; a backfill is late on purpose.
            _lag.Record(Math.Max(0, (execution.StartedAt - execution.ScheduledFor).TotalSeconds), new TagList { { "replication.trigger", execution.TriggerKind.ToString() } });
        }

        var activity = ActivitySource.StartActivity(SchedulingDiagnostics.ExecutionActivityName, ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        activity.DisplayName = $"{SchedulingDiagnostics.ExecutionActivityName} {execution.ScheduleId}";
        activity.SetTag("replication.schedule.id", execution.ScheduleId);
        activity.SetTag("replication.execution.id", execution.Id);
        activity.SetTag("replication.occurrence", execution.ScheduledFor.ToString("O", CultureInfo.InvariantCulture));
        activity.SetTag("replication.trigger", execution.TriggerKind.ToString());
        activity.SetTag("replication.scheduler.instance", execution.InstanceId);
        return activity;
    }

    public static void EndExecution(Activity? activity, ScheduleExecution final)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("replication.execution.status", final.Status.ToString());
        activity.SetTag("replication.vms.eligible", final.VmsEligible);
        activity.SetTag("replication.jobs.created", final.JobsCreated);
        activity.SetTag("replication.jobs.completed", final.JobsCompleted);
        activity.SetTag("replication.jobs.failed", final.JobsFailed);
        activity.SetTag("replication.jobs.skipped", final.JobsSkipped);
        if (final.Status is ExecutionStatus.Failed or ExecutionStatus.CompletedWithErrors)
        {
            activity.SetStatus(ActivityStatusCode.Error, final.Error ?? final.Status.ToString());
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }

        activity.Stop();
    }

    /// <summary>Starts the child span of one VM's submission; the SDK's appliance call spans nest under it.</summary>
    public static Activity? StartVm(string executionId, ScheduledVm vm, string groupId)
    {
        var activity = ActivitySource.StartActivity(SchedulingDiagnostics.VmActivityName, ActivityKind.Internal);
        activity?.SetTag("replication.execution.id", executionId);
        activity?.SetTag("replication.vm.context_id", vm.ContextId);
        activity?.SetTag("replication.vm.name", vm.VmName);
        activity?.SetTag("replication.group.id", groupId);
        return activity;
    }

    public static void EndVm(Activity? activity, VmOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("replication.vm.outcome", outcome.Kind.ToString());
        activity.SetTag("replication.vm.skip_reason", outcome.SkipReason?.ToString());
        activity.SetTag("replication.job.id", outcome.JobId);
        activity.SetTag("replication.vm.attempts", outcome.Attempts);
        activity.SetStatus(outcome.IsFailure ? ActivityStatusCode.Error : ActivityStatusCode.Ok, outcome.IsFailure ? outcome.Reason : null);
        activity.Stop();
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> RpoStates(RpoBoard board, TimeProvider time) =>
        board.Statuses(time.GetUtcNow()).SelectMany(s => Enum.GetValues<RpoState>().Select(state => new Measurement<int>(
            s.Statuses.Count(v => v.State == state),
            new KeyValuePair<string, object?>("replication.schedule.id", s.ScheduleId),
            new KeyValuePair<string, object?>("replication.rpo.state", state.ToString()))));

    private static IEnumerable<Measurement<double>> RpoCompliances(RpoBoard board, TimeProvider time) =>
        board.Statuses(time.GetUtcNow()).SelectMany(s => GroupRpoStatus.Of(s.Statuses).SelectMany(g => new[] { ("24h", g.CompliancePercent24h), ("7d", g.CompliancePercent7d) }
            .Where(w => w.Item2 is not null)
            .Select(w => new Measurement<double>(
                w.Item2!.Value,
                new KeyValuePair<string, object?>("replication.schedule.id", s.ScheduleId),
                new KeyValuePair<string, object?>("replication.group.id", g.GroupId),
                new KeyValuePair<string, object?>("replication.rpo.window", w.Item1)))));

    private static IEnumerable<Measurement<double>> RpoAges(RpoTracker rpo, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return rpo.LastCompleted().Select(v => new Measurement<double>(
            Math.Max(0, (now - v.At).TotalSeconds),
            new KeyValuePair<string, object?>("replication.vm.context_id", v.ContextId),
            new KeyValuePair<string, object?>("replication.vm.name", v.VmName)));
    }
}
