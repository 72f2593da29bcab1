using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// Issue 17's evidence scenario, seeded: VMs whose incremental jobs are log-normal around a per-VM median (itself
/// log-normal across VMs), staggered replica ages at the start, each VM's ten previous jobs in the execution store (the
/// history the engine and the forecast predict from), and a few VMs without a replica whose initial sync is a full copy
/// of hours. <see cref="Full"/> is the size; <see cref="Reduced"/> the CI guard's.
/// </summary>
internal sealed record EvidenceScenario
{
    public const string RpoScheduleId = "rpo";

    /// <summary>The size: 1,000 VMs, 20 at once, R = 4 h, 7 days from Thursday 22 October 2026 00:00 in Berlin, across the change from CEST to CET on Sunday 25 October (01:00 UTC).</summary>
    public static EvidenceScenario Full { get; } = new();

    /// <summary>
    /// 100 VMs on 2 slots (the same load per slot), 1 day from Saturday noon across the same change, for the CI guard. Without
    /// an initial sync: one VM of 100 without a replica for two hours of one day alone is 0.08 % of the VM-time outside R.
    /// </summary>
    public static EvidenceScenario Reduced { get; } = new()
    {
        Vms = 100, Groups = 2, Concurrency = 2, InitialSyncs = 0, Span = TimeSpan.FromDays(1), From = new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero),
    };

    public int Vms { get; init; } = 1000;

    public int Groups { get; init; } = 10;

    public int Concurrency { get; init; } = 20;

    public TimeSpan Target { get; init; } = TimeSpan.FromHours(4);

    public TimeSpan Span { get; init; } = TimeSpan.FromDays(7);

    public DateTimeOffset From { get; init; } = new(2026, 10, 21, 22, 0, 0, TimeSpan.Zero);

    public string TimeZone { get; init; } = "Europe/Berlin";

    /// <summary>VMs without a replica at the start, spread through the selection order.</summary>
    public int InitialSyncs { get; init; } = 5;

    /// <summary>The median over VMs of their median incremental job.</summary>
    public TimeSpan MedianJob { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>σ of the log of the VMs' medians.</summary>
    public double VmSpread { get; init; } = 0.5;

    /// <summary>σ of the log of one VM's job durations around its median.</summary>
    public double JobSpread { get; init; } = 0.35;

    /// <summary>The median full copy (what a VM's disks at the no-history rate predict).</summary>
    public TimeSpan MedianInitialSync { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The longest full copy. Below R on purpose: a VM whose full copy takes longer than R is unattainable by the
    /// forecast's rule (its later jobs are predicted from that copy, as the engine predicts them until short jobs teach it).
    /// </summary>
    public TimeSpan LongestInitialSync { get; init; } = TimeSpan.FromHours(3.5);

    public int Seed { get; init; } = 17;

    /// <summary>Its VMs, their histories and the stores holding them, as the engine would read them.</summary>
    public EvidenceWorld Build()
    {
#pragma warning disable CA5394 // A seeded simulation, not security.
        var random = new Random(Seed);
        var store = new InMemoryScheduleStore();
        var executions = new InMemoryExecutionStore();
        store.Upsert(new ReplicationSchedule
        {
            Id = RpoScheduleId, Name = RpoScheduleId, Kind = ScheduleKind.Rpo, CronExpression = "", TimeZone = TimeZone, RpoTarget = Target, MaxConcurrentJobs = Concurrency,
        });
        foreach (var g in Enumerable.Range(0, Groups))
        {
            store.Upsert(new MachineGroup { Id = Group(g), Name = Group(g), ScheduleId = RpoScheduleId, MaxConcurrentVms = Concurrency });
        }

        var vms = new List<EvidenceVm>();
        var histories = new Dictionary<string, IReadOnlyList<TimeSpan>>(StringComparer.Ordinal);
        var jobs = Enumerable.Range(0, RpoConstants.HistoryLength).Select(_ => new List<VmOutcome>()).ToArray();
        var initialEvery = InitialSyncs > 0 ? Vms / InitialSyncs : int.MaxValue;
        for (var i = 0; i < Vms; i++)
        {
            var id = FormattableString.Invariant($"vm-{i:D4}");
            var group = Group(i % Groups);
            var median = EvidenceVm.LogNormal(random, MedianJob, VmSpread);
            var initial = i % initialEvery == initialEvery / 2 && vms.Count(v => v.InitialSync is not null) < InitialSyncs;

            // The disks predict the initial sync at the no-history rate; the real copy is within about ±10 % of it.
            var drawn = EvidenceVm.LogNormal(random, MedianInitialSync, 0.3);
            var fullCopy = drawn < LongestInitialSync ? drawn : LongestInitialSync;
            var bytes = (long)fullCopy.TotalSeconds * RpoConstants.DefaultBytesPerSecond;
            var actualSync = initial ? EvidenceVm.LogNormal(random, fullCopy, 0.1) : (TimeSpan?)null;
            DateTimeOffset? last = null;
            if (!initial)
            {
                var history = Enumerable.Range(0, RpoConstants.HistoryLength).Select(_ => EvidenceVm.LogNormal(random, median, JobSpread)).ToList();
                last = From - TimeSpan.FromSeconds(Math.Round(random.NextDouble() * (Target - TimeSpan.FromMinutes(30)).TotalSeconds));
                histories[id] = history;
                for (var j = 0; j < history.Count; j++)
                {
                    // The previous jobs a planner's period apart, the newest ending at the VM's last completion.
                    var completed = last.Value - ((history.Count - 1 - j) * (Target - TimeSpan.FromMinutes(20)));
                    jobs[j].Add(new VmOutcome { ContextId = id, VmName = id, GroupId = group, Kind = VmOutcomeKind.JobCompleted, StartedAt = completed - history[j], CompletedAt = completed });
                }
            }
            else
            {
                histories[id] = [];
            }

            store.Upsert(new ScheduledVm
            {
                ContextId = id, VmName = id, VCenterHost = "vcenter.example.local", Datacenter = "DC1", LastCompletedJobAt = last,
                LastKnownSpec = new VmSpecSnapshot { Disks = [new StoredDisk { Id = "disk-0", CapacityBytes = bytes }] },
            });
            store.Upsert(new GroupMembership { GroupId = group, VmContextId = id, AddedAt = From.AddDays(-30).AddSeconds(i) });
            vms.Add(new EvidenceVm(id, group, median, JobSpread, actualSync, (Seed * 100_003) + i));
        }
#pragma warning restore CA5394

        for (var j = 0; j < jobs.Length; j++)
        {
            var started = jobs[j].Min(o => o.StartedAt!.Value);
            var execution = new ScheduleExecution
            {
                Id = FormattableString.Invariant($"history-{j}"), ScheduleId = RpoScheduleId, ScheduledFor = started, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "history",
                StartedAt = started, CompletedAt = jobs[j].Max(o => o.CompletedAt), Status = ExecutionStatus.Completed, VmOutcomes = jobs[j],
            };
            if (!executions.TryCreateAsync(execution).GetAwaiter().GetResult())
            {
                throw new InvalidOperationException($"History execution {execution.Id} exists already.");
            }
        }

        return new EvidenceWorld(this, store, executions, vms, histories);
    }

    private static string Group(int g) => FormattableString.Invariant($"group-{g:D2}");
}

/// <summary>A built scenario: the stores as the engine reads them, and each VM's real durations and history.</summary>
internal sealed record EvidenceWorld(EvidenceScenario Scenario, InMemoryScheduleStore Store, InMemoryExecutionStore Executions, IReadOnlyList<EvidenceVm> Vms, IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> Histories) : IDisposable
{
    public void Dispose() => Store.Dispose();
}
