using BenchmarkDotNet.Attributes;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks;

/// <summary>
/// A long-running host's execution history in <see cref="InMemoryExecutionStore"/> (default history limit 10,000): after
/// 1,000 / 10,000 / 100,000 executions run through it the way the engine writes them (create, two progress updates,
/// finish), the retained heap and the per-call cost of the engine's look-ups must not grow with the history.
/// </summary>
[MemoryDiagnoser]
public class ExecutionHistoryBenchmarks
{
    private const int Schedules = 10;
    private const int VmsPerExecution = 3;
    private const int Running = 5;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private InMemoryExecutionStore _store = null!;
    private ScheduleExecution _duplicate = null!;
    private int _next;

    [Params(1_000, 10_000, 100_000)]
    public int Executions { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var before = RetainedBytes();
        _store = new InMemoryExecutionStore();
        for (_next = 0; _next < Executions; _next++)
        {
            await RunOneAsync(_next);
        }

        // A few executions still running, as on a live host: GetRunningAsync has something to return.
        for (var i = 0; i < Running; i++)
        {
            await _store.TryCreateAsync(Execution(_next++));
        }

        var retained = RetainedBytes() - before;
        _duplicate = Execution(_next - 1) with { Id = "duplicate" };

        // Out of process, so a custom column cannot read it: the run's log carries the figure for docs/benchmarks.md.
        Console.WriteLine($"// retained-heap: executions={Executions} kept={_store.All.Count} bytes={retained} per-kept={retained / Math.Max(1, _store.All.Count)}");
    }

    [Benchmark]
    public Task<IReadOnlyList<ScheduleExecution>> GetRunning() => _store.GetRunningAsync();

    [Benchmark]
    public Task<DateTimeOffset?> GetLastOccurrence() => _store.GetLastOccurrenceAsync("schedule-3");

    /// <summary>The claim check of an occurrence that is already claimed: refused, so the store does not change between calls.</summary>
    [Benchmark]
    public Task<bool> TryCreateClaimedOccurrence() => _store.TryCreateAsync(_duplicate);

    /// <summary>One more execution end to end; past the limit each finish trims the oldest, so this is the steady-state cost.</summary>
    [Benchmark]
    public Task CreateUpdateFinish() => RunOneAsync(_next++);

    private static long RetainedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static ScheduleExecution Execution(int n) => new()
    {
        Id = $"exec-{n:D7}",
        ScheduleId = $"schedule-{n % Schedules}",
        ScheduledFor = Start.AddMinutes(n),
        TriggerKind = TriggerKind.Scheduled,
        TriggeredBy = "scheduler",
        StartedAt = Start.AddMinutes(n).AddMilliseconds(20),
        InstanceId = "bench",
        VmOutcomes = [.. Enumerable.Range(0, VmsPerExecution).Select(v => new VmOutcome { ContextId = $"ctx-{v}", VmName = $"vm-{v}", GroupId = "g", Kind = VmOutcomeKind.Pending })],
    };

    private async Task RunOneAsync(int n)
    {
        var created = Execution(n);
        await _store.TryCreateAsync(created);
        var submitting = created with { VmOutcomes = [.. created.VmOutcomes.Select(o => o with { Kind = VmOutcomeKind.Submitting })] };
        await _store.UpdateAsync(submitting);
        var inProgress = created with { VmOutcomes = [.. created.VmOutcomes.Select(o => o with { Kind = VmOutcomeKind.JobInProgress, JobId = $"job-{n}-{o.ContextId}" })] };
        await _store.UpdateAsync(inProgress);
        await _store.UpdateAsync(inProgress with
        {
            Status = ExecutionStatus.Completed,
            CompletedAt = created.StartedAt.AddMinutes(1),
            VmOutcomes = [.. inProgress.VmOutcomes.Select(o => o with { Kind = VmOutcomeKind.JobCompleted })],
        });
    }
}
