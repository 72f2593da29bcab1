namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>The <c>H</c> token: a value fixed by the schedule id, the same everywhere, spread over the field.</summary>
public sealed class HashedCronTests
{
    private readonly CronScheduleEvaluator _evaluator = new();

    [Fact]
    public void H_IsTheSameForTheSameSeed_AndStaysInTheFieldsRange()
    {
        var resolved = HashedCron.Resolve("H H * * *", "nightly-db");

        resolved.Should().Be(HashedCron.Resolve("H H * * *", "nightly-db"), "a restart or another instance must fire at the same time");
        var fields = resolved.Split(' ');
        int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0, 59);
        int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0, 23);
        fields[2..].Should().Equal("*", "*", "*");
    }

    [Fact]
    public void H_IsPinnedAcrossReleases()
    {
        // A change of hash would move every hashed schedule at once on upgrade: these values are part of the contract
        // (SHA-256 of "seed\nfield index", first 8 bytes little-endian, modulo the field's range; computed independently).
        HashedCron.Resolve("H H H H H", "pinned").Should().Be("20 19 22 9 4");
    }

    [Fact]
    public void H_OverAThousandSchedules_SpreadsOverEveryMinute()
    {
        var counts = new int[60];
        for (var i = 0; i < 1000; i++)
        {
            counts[int.Parse(HashedCron.Resolve("H * * * *", $"schedule-{i}").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)]++;
        }

        // Expected 16.7 a minute; a fair hash keeps every minute well inside 4..35 (a bad one piles schedules up).
        counts.Should().OnlyContain(c => c >= 4 && c <= 35);
    }

    [Theory]
    [InlineData("H(0-29) 2 * * *", 0, 0, 29)]
    [InlineData("0 H(22-23) * * *", 1, 22, 23)]
    [InlineData("0 0 H * *", 2, 1, 28)]
    [InlineData("0 0 * H *", 3, 1, 12)]
    [InlineData("0 0 * * H", 4, 0, 6)]
    [InlineData("H(5-5) * * * *", 0, 5, 5)]
    public void HRange_StaysWithinTheRange(string expression, int field, int min, int max)
    {
        for (var i = 0; i < 200; i++)
        {
            var value = int.Parse(HashedCron.Resolve(expression, $"s{i}").Split(' ')[field], System.Globalization.CultureInfo.InvariantCulture);
            value.Should().BeInRange(min, max);
        }
    }

    [Fact]
    public void HStep_StartsWithinTheStep_AndKeepsTheStep()
    {
        for (var i = 0; i < 200; i++)
        {
            var minute = HashedCron.Resolve("H/15 * * * *", $"s{i}").Split(' ')[0];
            var start = int.Parse(minute.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
            start.Should().BeInRange(0, 14);
            minute.Should().Be($"{start}-59/15");
        }

        HashedCron.Resolve("0 H(8-17)/4 * * *", "x").Split(' ')[1].Should().MatchRegex(@"^(8|9|10|11)-17/4$");
    }

    [Fact]
    public void SixFields_HashTheSecondsToo_AndListsResolveEachItem()
    {
        var fields = HashedCron.Resolve("H H 2 * * *", "s1").Split(' ');
        int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0, 59);
        int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0, 59);

        HashedCron.Resolve("0,H(30-59) 2 * * *", "s1").Split(' ')[0].Should().MatchRegex(@"^0,(3\d|4\d|5\d)$");
    }

    [Theory]
    [InlineData("0 0 * * THU")]
    [InlineData("0 0 * * MON-THU")]
    [InlineData("@hourly")]
    [InlineData("0 2 * * *")]
    public void WithoutTheToken_TheExpressionIsUntouched(string expression) =>
        HashedCron.Resolve(expression, "s1").Should().BeSameAs(expression);

    [Theory]
    [InlineData("H(30-10) * * * *", "minute")]
    [InlineData("H(0-99) * * * *", "minute")]
    [InlineData("0 H(0-24) * * *", "hour")]
    [InlineData("0 0 H(0-5) * *", "day-of-month")]
    [InlineData("H/0 * * * *", "minute")]
    [InlineData("H/x * * * *", "minute")]
    [InlineData("Hx * * * *", "minute")]
    [InlineData("H(1-) * * * *", "minute")]
    [InlineData("H(5 * * * *", "minute")]
    public void MalformedToken_IsAScheduleFormatErrorNamingTheField(string expression, string field)
    {
        var error = FluentActions.Invoking(() => HashedCron.Resolve(expression, "s1")).Should().Throw<ScheduleFormatException>().Which;

        error.Field.Should().Be(field);
        error.Expression.Should().Be(expression);
    }

    [Fact]
    public void Resolved_IsAValidExpressionForTheEvaluator_ForRandomSeeds()
    {
        var random = new Random(20261203);
        string[] shapes = ["H H * * *", "H/5 * * * *", "H H(0-5) * * 1-5", "0 H H * *", "H H H * * *", "H(10-20)/3 H * * *"];
        for (var i = 0; i < 2000; i++)
        {
            var expression = HashedCron.Resolve(shapes[random.Next(shapes.Length)], $"seed-{random.Next()}");
            _evaluator.TryParse(expression, "Europe/Berlin", out _, out var error).Should().BeTrue($"'{expression}' must parse ({error})");
        }
    }
}
