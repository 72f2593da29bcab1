using BenchmarkDotNet.Attributes;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks;

/// <summary>
/// Parse cost and next-occurrence cost of the SDK's evaluator, Cronos (the reference) and raw NCrontab (no time zone,
/// no DST, no robfig syntax: the floor the SDK's wrapper adds to). "Next" walks 100 occurrences from an instant just
/// before New York's 2025 spring-forward, so DST handling is on the measured path.
/// </summary>
[MemoryDiagnoser]
public class EvaluatorBenchmarks
{
    private const int Occurrences = 100;
    private static readonly DateTimeOffset From = new(2025, 3, 9, 5, 0, 0, TimeSpan.Zero);
    private readonly CronScheduleEvaluator _evaluator = new();
    private ISchedule _ours = null!;
    private Cronos.CronExpression _cronos = null!;
    private NCrontab.CrontabSchedule _ncrontab = null!;
    private TimeZoneInfo _zone = null!;
    private bool _seconds;

    [Params("0 2 * * *", "*/15 * * * *", "0 30 2 * * *", "*/20 * * * * *")]
    public string Expression { get; set; } = "";

    [Params("UTC", "America/New_York")]
    public string Zone { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _seconds = Expression.Split(' ').Length == 6;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        _ours = _evaluator.Parse(Expression, Zone);
        _cronos = Cronos.CronExpression.Parse(Expression, _seconds ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);
        _ncrontab = NCrontab.CrontabSchedule.Parse(Expression, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = _seconds });
    }

    [Benchmark]
    public ISchedule ParseOurs() => _evaluator.Parse(Expression, Zone);

    [Benchmark]
    public Cronos.CronExpression ParseCronos() => Cronos.CronExpression.Parse(Expression, _seconds ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);

    [Benchmark]
    public DateTimeOffset NextOurs()
    {
        var at = From;
        for (var i = 0; i < Occurrences; i++)
        {
            at = _ours.GetNextOccurrence(at)!.Value;
        }

        return at;
    }

    [Benchmark(Baseline = true)]
    public DateTimeOffset NextCronos()
    {
        var at = From;
        for (var i = 0; i < Occurrences; i++)
        {
            at = _cronos.GetNextOccurrence(at, _zone)!.Value;
        }

        return at;
    }

    [Benchmark]
    public DateTime NextNCrontabRaw()
    {
        var at = From.UtcDateTime;
        for (var i = 0; i < Occurrences; i++)
        {
            at = _ncrontab.GetNextOccurrence(at);
        }

        return at;
    }
}
