using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.OpenTelemetry;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

/// <summary>
/// The scheduler seen through OpenTelemetry, subscribed with <c>AddReplicationSdkInstrumentation()</c> only: a cron-fired
/// execution against the simulator must arrive as one execution span, a child span per VM and the appliance call spans
/// under those, and the scheduler's metrics must arrive with the meter's version.
/// </summary>
public sealed class OpenTelemetryTests
{
    private const string Instance = "otel-it";

    [Fact]
    public async Task CronExecution_ExportsNestedSpans_AndItsMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddReplicationSdkInstrumentation().AddInMemoryExporter(spans).Build();
        using var metering = global::OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddReplicationSdkInstrumentation().AddInMemoryExporter(metrics).Build();

        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 3, JobDuration = TimeSpan.FromMilliseconds(200) });
        var finished = new Finished();
        using var host = BuildHost(sim, finished);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(bound.Token);
        var execution = await finished.First.Task.WaitAsync(bound.Token);

        // Gauges are read at collection: the lease is still held while the host runs.
        metering!.ForceFlush();
        await host.StopAsync(bound.Token);
        tracing!.ForceFlush();

        execution.Status.Should().Be(ExecutionStatus.Completed);
        Activity[] exported;
        lock (spans)
        {
            exported = [.. spans];
        }

        var root = exported.Should().ContainSingle(a => a.OperationName == SchedulingDiagnostics.ExecutionActivityName && Equals(a.GetTagItem("replication.execution.id"), execution.Id)).Subject;
        root.GetTagItem("replication.schedule.id").Should().Be("otel");
        root.GetTagItem("replication.trigger").Should().Be("Scheduled");
        root.GetTagItem("replication.occurrence").Should().Be(execution.ScheduledFor.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        root.GetTagItem("replication.execution.status").Should().Be("Completed");
        root.GetTagItem("replication.jobs.completed").Should().Be(2);
        root.Status.Should().Be(ActivityStatusCode.Ok);
        root.Source.Version.Should().Be(SchedulingDiagnostics.Version).And.NotBeNullOrEmpty();

        var vms = exported.Where(a => a.OperationName == SchedulingDiagnostics.VmActivityName && a.ParentSpanId == root.SpanId).ToList();
        vms.Select(a => a.GetTagItem("replication.vm.name")).Should().BeEquivalentTo(new[] { "vm001", "vm002" });
        vms.Should().OnlyContain(a => Equals(a.GetTagItem("replication.vm.outcome"), "JobCompleted") && a.GetTagItem("replication.job.id") != null);

        // The submission's appliance calls nest under their VM's span; the conflict checks under the execution's.
        var calls = exported.Where(a => a.Source.Name == ReplicationDiagnostics.ActivitySourceName && a.TraceId == root.TraceId).ToList();
        var creates = calls.Where(a => a.OperationName == "OMA POST /api/v1/replications").ToList();
        creates.Should().HaveCount(2);
        foreach (var vm in vms)
        {
            creates.Should().ContainSingle(c => c.ParentSpanId == vm.SpanId, "each VM's create call is a child of that VM's span");
        }

        calls.Should().OnlyContain(c => c.ParentSpanId == root.SpanId || vms.Any(v => v.SpanId == c.ParentSpanId));

        Metric[] collected;
        lock (metrics)
        {
            collected = [.. metrics];
        }

        var scheduler = collected.Where(m => m.MeterName == SchedulingDiagnostics.Name).ToList();
        scheduler.Should().OnlyContain(m => m.MeterVersion == SchedulingDiagnostics.Version);
        Points(scheduler, SchedulingDiagnostics.ScheduleLagInstrument).Should().Contain(p => Tag(p, "replication.trigger") == "Scheduled" && p.GetHistogramCount() >= 1);
        Points(scheduler, SchedulingDiagnostics.ExecutionsInstrument).Should().Contain(p => Tag(p, "replication.execution.status") == "Completed" && p.GetSumLong() >= 1);
        Points(scheduler, SchedulingDiagnostics.VmOutcomesInstrument).Should().Contain(p => Tag(p, "replication.vm.outcome") == "JobCompleted" && p.GetSumLong() >= 2);
        Points(scheduler, SchedulingDiagnostics.LeaseHeldInstrument).Should().ContainSingle(p => Tag(p, "replication.scheduler.instance") == Instance)
            .Which.GetGaugeLastValueLong().Should().Be(1);
        var ages = Points(scheduler, SchedulingDiagnostics.RpoAgeInstrument).Where(p => Tag(p, "replication.vm.name") is "vm001" or "vm002").ToList();
        ages.Should().HaveCountGreaterThanOrEqualTo(2);
        ages.Should().OnlyContain(p => p.GetGaugeLastValueDouble() >= 0 && p.GetGaugeLastValueDouble() < 60);
        collected.Should().Contain(m => m.MeterName == ReplicationDiagnostics.MeterName && m.Name == ReplicationDiagnostics.RequestsInstrument && m.MeterVersion == ReplicationDiagnostics.Version);
    }

    [Fact]
    public void InstrumentationNames_AreTheOnesTheLibrariesPublish()
    {
        ReplicationInstrumentation.ActivitySourceNames.Should().Equal(ReplicationDiagnostics.ActivitySourceName, SchedulingDiagnostics.Name);
        ReplicationInstrumentation.MeterNames.Should().Equal(ReplicationDiagnostics.MeterName, SchedulingDiagnostics.Name);
    }

    private static List<MetricPoint> Points(IEnumerable<Metric> metrics, string name)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                points.Add(point);
            }
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static IHost BuildHost(ApplianceSimulator sim, Finished finished)
    {
        var host = SimulatorHost.Build(sim, Instance, finished);

        var store = host.Services.GetRequiredService<InMemoryScheduleStore>();
        store.Upsert(new ReplicationSchedule { Id = "otel", Name = "otel", CronExpression = "*/2 * * * * *", MaxConcurrentJobs = 4, OverlapPolicy = OverlapPolicy.Skip });
        store.Upsert(new MachineGroup { Id = "g", Name = "g", ScheduleId = "otel", MaxConcurrentVms = 4 });
        for (var i = 1; i <= 2; i++)
        {
            var name = $"vm{i:000}";
            store.Upsert(new ScheduledVm { ContextId = $"ctx-{name}", VmName = name, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
            store.Upsert(new GroupMembership { GroupId = "g", VmContextId = $"ctx-{name}", Priority = i });
        }

        return host;
    }

    private sealed class Finished : IExecutionObserver
    {
        public TaskCompletionSource<ScheduleExecution> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnExecutionFinishedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
        {
            if (execution.Status != ExecutionStatus.Skipped)
            {
                First.TrySetResult(execution);
            }

            return default;
        }
    }
}
