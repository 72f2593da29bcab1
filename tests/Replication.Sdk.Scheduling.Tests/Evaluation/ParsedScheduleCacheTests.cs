using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>An evaluator hands out a schedule it parsed before for the same two strings, and nothing else changes.</summary>
[Collection(ZoneDataCollection.Name)]
public sealed class ParsedScheduleCacheTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 8, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 2 * * *", "UTC")]
    [InlineData("30 2 * * *", "America/New_York")]
    [InlineData("*/15 * * * *", "Australia/Lord_Howe")]
    [InlineData("0 0 1,15 * MON-FRI", "Asia/Amman")]
    [InlineData("@daily", "")]
    public void ARepeatedParse_IsTheSameSchedule_WithTheAnswersOfAFirstParse(string expression, string zone)
    {
        var evaluator = new CronScheduleEvaluator();

        var first = evaluator.Parse(expression, zone);
        var again = evaluator.Parse(expression, zone);
        var uncached = evaluator.ParseUncached(expression, zone);

        again.Should().BeSameAs(first);
        uncached.Should().NotBeSameAs(first);
        (again.Expression, again.TimeZone).Should().Be((uncached.Expression, uncached.TimeZone));
        again.GetOccurrences(From, From.AddDays(3)).Should().Equal(uncached.GetOccurrences(From, From.AddDays(3)));
    }

    [Fact]
    public void EvaluatorsWithOtherDayMatching_DoNotShareSchedules()
    {
        var either = new CronScheduleEvaluator();
        var both = new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = CronDayMatching.Both });
        var after = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // 2025-01-06 is the first Monday, 2025-01-13 the first Monday the 13th.
        either.Parse("0 0 13 * MON", "UTC").GetNextOccurrence(after).Should().Be(new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero));
        both.Parse("0 0 13 * MON", "UTC").GetNextOccurrence(after).Should().Be(new DateTimeOffset(2025, 1, 13, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("0 2 * *", "UTC")]
    [InlineData("0 25 * * *", "UTC")]
    [InlineData("0 2 * * *", "Mars/Olympus_Mons")]
    public void AnInvalidExpressionOrZone_IsRefusedEveryTime_AndNotKept(string expression, string zone)
    {
        var evaluator = new CronScheduleEvaluator();

        for (var i = 0; i < 3; i++)
        {
            var parse = () => evaluator.Parse(expression, zone);
            parse.Should().Throw<ScheduleFormatException>();
            evaluator.TryParse(expression, zone, out _, out var error).Should().BeFalse();
            error.Should().NotBeNullOrEmpty();
        }

        evaluator.ParsedSchedules.Count.Should().Be(0);
    }

    [Fact]
    public void ANullZone_IsParsedAsUtc_AndNotKept()
    {
        var evaluator = new CronScheduleEvaluator();

        evaluator.Parse("0 2 * * *", null!).TimeZone.Should().BeSameAs(TimeZoneInfo.Utc);
        evaluator.ParsedSchedules.Count.Should().Be(0);
    }

    [Fact]
    public void TheCache_KeepsAtMostItsBound_AndParsesPastItStayCorrect()
    {
        var evaluator = new CronScheduleEvaluator();
        var extra = 50;

        for (var i = 0; i < ParsedScheduleCache.MaxEntries + extra; i++)
        {
            // Distinct expressions: minute i % 60, hour (i / 60) % 24, day of month 1 + (i / 1440) % 28.
            var expression = $"{i % 60} {i / 60 % 24} {1 + (i / 1440 % 28)} * *";
            var zone = i % 2 == 0 ? "UTC" : "Europe/Berlin";
            evaluator.Parse(expression, zone).Expression.Should().Be(expression);
        }

        evaluator.ParsedSchedules.Count.Should().Be(ParsedScheduleCache.MaxEntries);
        var past = evaluator.Parse("59 23 28 * *", "Asia/Tokyo");
        past.GetNextOccurrence(From).Should().Be(new DateTimeOffset(2025, 3, 28, 23, 59, 0, TimeSpan.FromHours(9)));
        evaluator.Parse("59 23 28 * *", "Asia/Tokyo").Should().NotBeSameAs(past, "past the bound nothing more is kept");
    }

    [Fact]
    public void AfterClearCachedData_AParseHoldsTheZoneDotNetNowHandsOut()
    {
        var evaluator = new CronScheduleEvaluator();
        var before = evaluator.Parse("0 2 * * *", "Europe/Madrid");

        TimeZoneInfo.ClearCachedData();
        var after = evaluator.Parse("0 2 * * *", "Europe/Madrid");

        after.Should().NotBeSameAs(before);
        after.TimeZone.Should().BeSameAs(TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid"));
        evaluator.Parse("0 2 * * *", "Europe/Madrid").Should().BeSameAs(after, "the new schedule is kept in turn");
    }

    [Fact]
    public async Task ParsesFromManyThreads_AllAgree()
    {
        var evaluator = new CronScheduleEvaluator();
        var expressions = Enumerable.Range(0, 40).Select(i => $"{i} */2 * * *").ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            expressions.Select(e => evaluator.Parse(e, "America/Chicago").GetNextOccurrence(From)).ToArray())));

        var expected = expressions.Select(e => evaluator.ParseUncached(e, "America/Chicago").GetNextOccurrence(From)).ToArray();
        results.Should().AllSatisfy(r => r.Should().Equal(expected));
    }
}
