using BenchmarkDotNet.Attributes;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks;

/// <summary>
/// Parse cost and next-occurrence cost of the SDK's evaluator, Cronos (the reference) and raw NCrontab (no time zone,
/// no DST, no robfig syntax: the floor the SDK's wrapper adds to). "Next" walks 100 occurrences from an instant just
/// before New York's 2025 spring-forward, so DST handling is on the measured path.
/// <para>
/// What each parse row measures (docs/benchmarks.md): <see cref="ParseOurs"/> is the public operation, expression and
/// zone id to a schedule that knows its zone, for a pair the evaluator parsed before (it hands out the same schedule, as
/// every re-plan of the scheduler does); <see cref="ParseOursFirstTime"/> is the parse of a pair seen for the first time
/// (the zone id still resolved through the zone cache);
/// <see cref="ParseCronos"/> is Cronos's parse, which takes no zone (its <c>Zone</c> rows are the same operation twice);
/// <see cref="ParseCronosWithZone"/> adds the zone lookup a Cronos user needs to evaluate in that zone; and
/// <see cref="ParseOursFieldsOnly"/> is the SDK's expression parse alone (no zone, no schedule object), the operation
/// Cronos's parse corresponds to, except that its result is a struct and so allocates nothing.
/// </para>
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
    public ISchedule ParseOursFirstTime() => _evaluator.ParseUncached(Expression, Zone);

    [Benchmark]
    public Cronos.CronExpression ParseCronos() => Cronos.CronExpression.Parse(Expression, _seconds ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);

    [Benchmark]
    public (Cronos.CronExpression, TimeZoneInfo) ParseCronosWithZone() =>
        (Cronos.CronExpression.Parse(Expression, _seconds ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard), TimeZoneInfo.FindSystemTimeZoneById(Zone));

    [Benchmark]
    public ulong ParseOursFieldsOnly() => CronParser.Parse(Expression).Minutes;

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
