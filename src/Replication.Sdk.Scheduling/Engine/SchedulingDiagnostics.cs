using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Replication.Sdk.Scheduling;

/// <summary>The names under which the scheduler publishes metrics and traces.</summary>
public static class SchedulingDiagnostics
{
    /// <summary>The meter and activity source name: <c>Replication.Sdk.Scheduling</c>.</summary>
    public const string Name = "Replication.Sdk.Scheduling";

    /// <summary>Counter of finished executions, tagged <c>replication.execution.status</c> and <c>replication.trigger</c>.</summary>
    public const string ExecutionsInstrument = "replication.scheduler.executions";

    /// <summary>Counter of per-VM outcomes, tagged <c>replication.vm.outcome</c> and <c>replication.vm.skip_reason</c>.</summary>
    public const string VmOutcomesInstrument = "replication.scheduler.vm_outcomes";

    /// <summary>Histogram of tracked job durations in seconds, from creation to terminal status, tagged <c>replication.vm.outcome</c>.</summary>
    public const string JobDurationInstrument = "replication.scheduler.job.duration";

    /// <summary>Gauge of job slots in use across all schedules.</summary>
    public const string SlotsInUseInstrument = "replication.scheduler.slots.in_use";

    /// <summary>Counter of RPO breaches.</summary>
    public const string RpoBreachesInstrument = "replication.scheduler.rpo_breaches";
}

internal sealed class SchedulerTelemetry : IDisposable
{
    internal static readonly ActivitySource ActivitySource = new(SchedulingDiagnostics.Name);

    private readonly Meter _meter;
    private readonly Counter<long> _executions;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _rpo;

    public SchedulerTelemetry(IMeterFactory? meterFactory, Func<int> slotsInUse)
    {
        _meter = meterFactory?.Create(SchedulingDiagnostics.Name) ?? new Meter(SchedulingDiagnostics.Name);
        _executions = _meter.CreateCounter<long>(SchedulingDiagnostics.ExecutionsInstrument, "{execution}", "Finished schedule executions.");
        _outcomes = _meter.CreateCounter<long>(SchedulingDiagnostics.VmOutcomesInstrument, "{vm}", "Per-VM outcomes of executions.");
        _jobDuration = _meter.CreateHistogram<double>(SchedulingDiagnostics.JobDurationInstrument, "s", "Duration of tracked replication jobs.");
        _rpo = _meter.CreateCounter<long>(SchedulingDiagnostics.RpoBreachesInstrument, "{breach}", "RPO breaches detected.");
        _meter.CreateObservableGauge(SchedulingDiagnostics.SlotsInUseInstrument, slotsInUse, "{slot}", "Job slots in use.");
    }

    public void Execution(ScheduleExecution execution) =>
        _executions.Add(1, new TagList { { "replication.execution.status", execution.Status.ToString() }, { "replication.trigger", execution.TriggerKind.ToString() } });

    public void Outcome(VmOutcome outcome) =>
        _outcomes.Add(1, new TagList { { "replication.vm.outcome", outcome.Kind.ToString() }, { "replication.vm.skip_reason", outcome.SkipReason?.ToString() } });

    public void JobDuration(TimeSpan duration, VmOutcomeKind kind) =>
        _jobDuration.Record(duration.TotalSeconds, new TagList { { "replication.vm.outcome", kind.ToString() } });

    public void RpoBreach() => _rpo.Add(1);

    public void Dispose() => _meter.Dispose();
}
