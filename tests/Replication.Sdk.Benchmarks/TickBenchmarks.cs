using BenchmarkDotNet.Attributes;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks;

/// <summary>The scheduler's wake-up when nothing is due: find the due schedules (none) and the next fire time.</summary>
[MemoryDiagnoser]
public class TickBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private ScheduleIndex _index = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Schedules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _index = new ScheduleIndex();
        for (var i = 0; i < Schedules; i++)
        {
            _index.Set($"schedule-{i}", Now.AddSeconds(1 + random.Next(86_400)));
        }
    }

    [Benchmark]
    public DateTimeOffset? TickNothingDue()
    {
        var due = _index.TakeDue(Now);
        return due.Count == 0 ? _index.Earliest : null;
    }
}
