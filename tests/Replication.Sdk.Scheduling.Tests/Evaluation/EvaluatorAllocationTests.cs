using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// What a parse and a walk of occurrences allocate, counted by the runtime for this thread (exact, not timed). Timing
/// targets live in the benchmarks; these bounds catch a change that brings back per-parse or per-occurrence garbage.
/// </summary>
[Collection(ZoneDataCollection.Name)]
public sealed class EvaluatorAllocationTests
{
    /// <summary>The schedule is one object: 16 B of header, 2 references (the expression, the zone) and the 32-byte fields (docs/benchmarks.md).</summary>
    private const long ParseBytes = 64;

    private const int Repeats = 200;

    private static readonly DateTimeOffset BeforeSpringForward = new(2025, 3, 9, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PastSpringForward = new(2025, 3, 9, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 2 * * *", "UTC")]
    [InlineData("*/15 * * * *", "America/New_York")]
    [InlineData("0 30 2 * * *", "Europe/London")]
    [InlineData("*/20 * * * * *", "America/New_York")]
    [InlineData("0 0 1,15 * MON-FRI", "Asia/Amman")]
    public void FirstParse_AllocatesOnlyTheSchedule(string expression, string zone)
    {
        var evaluator = new CronScheduleEvaluator();
        evaluator.ParseUncached(expression, zone);   // warm: the zone is resolved and cached, the code compiled

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Repeats; i++)
        {
            evaluator.ParseUncached(expression, zone);
        }

        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Repeats;
        perParse.Should().BeLessThanOrEqualTo(ParseBytes, $"'{expression}' in {zone}");
    }

    [Theory]
    [InlineData("0 2 * * *", "UTC")]
    [InlineData("*/15 * * * *", "America/New_York")]
    [InlineData("*/20 * * * * *", "America/New_York")]
    public void RepeatedParse_AllocatesNothing(string expression, string zone)
    {
        var evaluator = new CronScheduleEvaluator();
        evaluator.Parse(expression, zone);   // the first parse of the pair is kept

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Repeats; i++)
        {
            evaluator.Parse(expression, zone);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, $"'{expression}' in {zone} was parsed before");
    }

    [Theory]
    [InlineData("0 2 * * *", "UTC")]
    [InlineData("*/15 * * * *", "UTC")]
    [InlineData("0 2 * * *", "America/New_York")]
    [InlineData("*/15 * * * *", "America/New_York")]
    [InlineData("0 30 2 * * *", "America/New_York")]
    [InlineData("*/20 * * * * *", "America/New_York")]
    [InlineData("30 1 * * *", "Europe/London")]
    public void NextOccurrence_AcrossAChangeOfOffset_AllocatesNothing(string expression, string zone)
    {
        var schedule = new CronScheduleEvaluator().Parse(expression, zone);
        Walk(schedule);   // warm: the zone's transitions are computed once and shared

        var before = GC.GetAllocatedBytesForCurrentThread();
        var last = Walk(schedule);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        last.Should().BeAfter(PastSpringForward);
        allocated.Should().Be(0, $"'{expression}' in {zone}");
    }

    /// <summary>
    /// Successive occurrences from 2025-03-09T05:00Z, as the benchmark walks them (100 at least), until past New York's
    /// spring-forward at 07:00Z, so that a change of offset is on the path (London's 100 days pass its own on 30 March,
    /// where 01:30 lies in the gap).
    /// </summary>
    private static DateTimeOffset Walk(ISchedule schedule)
    {
        var at = BeforeSpringForward;
        for (var i = 0; i < 100 || at <= PastSpringForward; i++)
        {
            at = schedule.GetNextOccurrence(at)!.Value;
        }

        return at;
    }
}
