using System.Globalization;
using System.Text;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// Random expressions and instants against a brute-force oracle that scans every second (or minute) of a window around
/// real DST transitions and applies the DST rules directly. Seeded: a failure reproduces.
/// </summary>
public sealed class CronPropertyTests
{
    private static readonly (string Zone, string TransitionUtc)[] Transitions =
    [
        ("America/New_York", "2025-03-09T07:00:00Z"),
        ("America/New_York", "2025-11-02T06:00:00Z"),
        ("Europe/London", "2025-03-30T01:00:00Z"),
        ("Europe/London", "2025-10-26T01:00:00Z"),
        ("Australia/Lord_Howe", "2025-04-05T15:00:00Z"),
        ("Australia/Lord_Howe", "2025-10-04T15:30:00Z"),
        ("UTC", "2025-06-15T12:00:00Z"),
        // Far from transitions (the evaluator's fast path), and at its 7-day look-ahead edge before one.
        ("America/New_York", "2025-06-15T12:00:00Z"),
        ("Australia/Lord_Howe", "2025-01-10T00:00:00Z"),
        ("America/New_York", "2025-03-02T07:00:00Z"),
        ("Europe/London", "2025-10-19T01:00:00Z"),
        ("Australia/Lord_Howe", "2025-04-12T15:00:00Z"),
    ];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 80; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomExpression_MatchesBruteForceScanAcrossDstTransitions(int seed)
    {
        var random = new Random(seed);
        var withSeconds = random.Next(3) == 0;
        var expression = RandomExpression(random, withSeconds);
        var matching = random.Next(4) == 0 ? CronDayMatching.Both : CronDayMatching.Either;
        var (zoneId, transitionText) = Transitions[random.Next(Transitions.Length)];
        var evaluator = new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = matching });
        var schedule = (CronSchedule)evaluator.Parse(expression, zoneId);
        var transition = DateTime.Parse(transitionText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        // A window around the transition; a random start with a sub-second part and a foreign offset.
        var window = withSeconds ? TimeSpan.FromHours(3) : TimeSpan.FromDays(2);
        var from = transition - window / 2 + TimeSpan.FromTicks(random.NextInt64(TimeSpan.TicksPerHour));
        var until = from + window;
        var after = new DateTimeOffset(from, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 4, 14 * 4) * 15));

        var actual = schedule.GetOccurrences(after, new DateTimeOffset(until, TimeSpan.Zero)).ToList();
        var expected = Oracle(schedule.Fields, matching, schedule.TimeZone, from, until, withSeconds).ToList();

        var because = $"'{expression}' ({matching}) in {zoneId} from {after:O}";
        actual.Select(o => o.UtcDateTime).Should().Equal(expected, because);
        actual.Should().BeInAscendingOrder(o => o.UtcTicks, because).And.OnlyHaveUniqueItems(o => o.UtcTicks, because);
        actual.Where(o => o.Offset != schedule.TimeZone.GetUtcOffset(o) || o.Ticks % TimeSpan.TicksPerSecond != 0).Should().BeEmpty(because);
    }

    public static TheoryData<int> MatcherSeeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1000; seed < 1150; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    /// <summary>
    /// The wall-clock search alone (its same-day bit-set path and its NCrontab path) against a scan of every second or
    /// minute: the first match strictly after a random instant, within a 2-day bound.
    /// </summary>
    [Theory]
    [MemberData(nameof(MatcherSeeds))]
    public void WallClockSearch_FindsTheFirstMatch_LikeAScan(int seed)
    {
        var random = new Random(seed);
        var withSeconds = random.Next(2) == 0;
        var expression = RandomExpression(random, withSeconds);
        var matching = random.Next(3) == 0 ? CronDayMatching.Both : CronDayMatching.Either;
        var fields = ((CronSchedule)new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = matching }).Parse(expression, "UTC")).Fields;
        var matcher = new WallClockMatcher(fields, matching);
        var owner = new object();   // keeps the matcher's NCrontab schedules for this case
        var after = new DateTime(2025, 1, 1).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 365));
        var before = after.AddDays(2);

        for (var hop = 0; hop < 5; hop++)
        {
            var step = withSeconds ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
            DateTime? expected = null;
            for (var t = new DateTime(after.Ticks - (after.Ticks % step.Ticks)) + step; t < before; t += step)
            {
                if (fields.Matches(t, matching))
                {
                    expected = t;
                    break;
                }
            }

            var actual = matcher.Next(after, before, owner);
            actual.Should().Be(expected, $"'{expression}' ({matching}) after {after:O}");
            if (actual is null)
            {
                break;
            }

            after = actual.Value.AddTicks(random.Next(2) == 0 ? 0 : random.NextInt64(TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>Scans instant by instant and applies the rules as stated, with no search shortcuts.</summary>
    private static IEnumerable<DateTime> Oracle(CronFields fields, CronDayMatching matching, TimeZoneInfo zone, DateTime fromUtc, DateTime untilUtc, bool withSeconds)
    {
        var step = withSeconds ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
        var start = new DateTime(fromUtc.Ticks - (fromUtc.Ticks % step.Ticks), DateTimeKind.Utc) + step;
        var previousWall = TimeZoneInfo.ConvertTimeFromUtc(start - step, zone);
        for (var u = start; u <= untilUtc; u += step)
        {
            var wall = TimeZoneInfo.ConvertTimeFromUtc(u, zone);
            var fire = false;
            if (fields.Matches(wall, matching))
            {
                var secondPass = zone.IsAmbiguousTime(wall) && zone.GetUtcOffset(u) == zone.GetAmbiguousTimeOffsets(wall).Min();
                fire = !(secondPass && fields.IsFixedTime);
            }

            // A forward jump: every wall time skipped fires once, now, at the first valid instant.
            if (!fire && wall - previousWall > step)
            {
                for (var skipped = previousWall + step; skipped < wall; skipped += step)
                {
                    if (fields.Matches(skipped, matching))
                    {
                        fire = true;
                        break;
                    }
                }
            }

            if (fire)
            {
                yield return u;
            }

            previousWall = wall;
        }
    }

    private static string RandomExpression(Random random, bool withSeconds)
    {
        var text = new StringBuilder();
        if (withSeconds)
        {
            text.Append(Field(random, 0, 59)).Append(' ');
        }

        text.Append(Field(random, 0, 59)).Append(' ');
        text.Append(random.Next(3) == 0 ? Field(random, 0, 23) : Pick(random, "1", "2", "1-3", "0-2/2", "*/2", "1,2", "2/5", "*"));
        text.Append(' ').Append(random.Next(2) == 0 ? "*" : Field(random, 1, 31));
        text.Append(' ').Append(random.Next(3) == 0 ? Field(random, 1, 12) : "*");
        text.Append(' ').Append(random.Next(2) == 0 ? "*" : Pick(random, Field(random, 0, 7), "MON-FRI", "sun", "SAT,SUN", "?"));
        return text.ToString();
    }

    private static string Field(Random random, int min, int max)
    {
        int Value() => random.Next(min, max + 1);
        switch (random.Next(7))
        {
            case 0:
                return "*";
            case 1:
                return $"*/{random.Next(1, Math.Max(2, (max - min) / 2))}";
            case 2:
                return Value().ToString(CultureInfo.InvariantCulture);
            case 3:
                var a = Value();
                var b = Value();
                return $"{Math.Min(a, b)}-{Math.Max(a, b)}";
            case 4:
                var c = Value();
                var d = Value();
                return $"{Math.Min(c, d)}-{Math.Max(c, d)}/{random.Next(1, 10)}";
            case 5:
                return $"{Value()},{Value()},{Value()}";
            default:
                return $"{Value()}/{random.Next(1, 20)}";
        }
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
