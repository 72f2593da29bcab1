using System.Diagnostics;
using System.Globalization;
using System.Text;
using Replication.Sdk.Scheduling;
using Xunit.Abstractions;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// Seeded fuzzing of the whole evaluator: random valid and invalid expressions, every zone the host knows, instants
/// around the zones' changes of offset from 1970 to 2040, anywhere in those years and at the calendar's edges. Each valid
/// case is compared with a brute-force scan of every second or minute over the zone's offsets (read independently by
/// <see cref="ZoneOffsetScan"/>), and every first occurrence, however far, is checked against the guarantees.
/// 50,000 cases by default; set <c>REPLICATION_CRON_FUZZ_CASES</c> (for example to 1000000) for a long run.
/// </summary>
public sealed class CronFuzzTests(ITestOutputHelper output)
{
    private const string CasesVariable = "REPLICATION_CRON_FUZZ_CASES";
    private const int Shards = 20;
    private const int DefaultCases = 50_000;

    /// <summary>The first occurrences compared per case: enough to pass a change of offset, few enough to stay fast.</summary>
    private const int Compared = 12;

    private static readonly Lazy<TimeZoneInfo[]> Zones = new(() => [.. TimeZoneInfo.GetSystemTimeZones().OrderBy(z => z.Id, StringComparer.Ordinal)]);

    private static readonly string[] Invalid =
    [
        "60", "-1", "5-2", "*/0", "1,,2", ",", "L", "15W", "1#2", "H", "abc", "", "2147483648", "*/2147483648", "1-2-3",
        "1/2/3", "*/", "/5", "32", "13", "8", "jan-", "MON-", "?/0", "99999999999", "1-", "-", "**", "1 2",
    ];

    public static TheoryData<int> ShardNumbers()
    {
        var data = new TheoryData<int>();
        for (var shard = 0; shard < Shards; shard++)
        {
            data.Add(shard);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShardNumbers))]
    public void RandomSchedules_InEveryZone_MatchABruteForceScan_AndKeepTheGuarantees(int shard)
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultCases;
        var zones = Zones.Value;
        var random = new Random(14_000 + shard);
        var failures = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        var perShard = (cases + Shards - 1) / Shards;
        for (var i = 0; i < perShard && failures.Count < 5; i++)
        {
            // Zones in turn, so every zone of the host is fuzzed in every run.
            var zone = zones[((shard * perShard) + i) % zones.Length];
            try
            {
                RunCase(random, zone, failures);
            }
#pragma warning disable CA1031 // Any escaping exception is the finding; it is recorded with the case.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"{zone.Id}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        output.WriteLine($"shard {shard}: {perShard} cases in {stopwatch.Elapsed.TotalSeconds:F1} s");
        failures.Should().BeEmpty();
    }

    private static void RunCase(Random random, TimeZoneInfo zone, List<string> failures)
    {
        var withSeconds = random.Next(3) == 0;
        var expression = RandomExpression(random, withSeconds);
        if (random.Next(6) == 0)
        {
            expression = Break(random, expression);
        }

        var matching = random.Next(4) == 0 ? CronDayMatching.Both : CronDayMatching.Either;
        var evaluator = new CronScheduleEvaluator(new CronScheduleOptions { DayMatching = matching });
        CronSchedule schedule;
        try
        {
            schedule = (CronSchedule)evaluator.Parse(expression, zone.Id);
        }
        catch (ScheduleFormatException)
        {
            if (evaluator.TryParse(expression, zone.Id, out _, out var error) || string.IsNullOrEmpty(error))
            {
                failures.Add($"'{expression}': Parse threw but TryParse did not report it");
            }

            return;
        }

        var after = RandomInstant(random, zone);
        var step = withSeconds || schedule.Fields.Seconds != 1UL ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMinute;
        var window = step == TimeSpan.TicksPerSecond ? TimeSpan.TicksPerHour : TimeSpan.TicksPerDay * 2;
        var untilTicks = Math.Min(after.UtcTicks + window, DateTime.MaxValue.Ticks - (DateTime.MaxValue.Ticks % TimeSpan.TicksPerSecond));
        var expected = Oracle(schedule.Fields, matching, zone, after.UtcTicks, untilTicks, step);

        var actual = new List<long>();
        var current = after;
        var because = $"'{expression}' ({matching}) in {zone.Id} after {after:O}";
        for (var k = 0; k < Compared && schedule.GetNextOccurrence(current) is { } next; k++)
        {
            if (!KeepsTheGuarantees(schedule, matching, current, next))
            {
                failures.Add($"{because}: {next:O} breaks a guarantee after {current:O}");
                return;
            }

            if (next.UtcTicks > untilTicks)
            {
                break;
            }

            actual.Add(next.UtcTicks);
            current = next;
        }

        if (!actual.SequenceEqual(expected.Take(actual.Count == Compared ? Compared : expected.Count)))
        {
            failures.Add($"{because}: got [{Format(actual, zone)}], the scan gives [{Format(expected, zone)}]");
        }
    }

    /// <summary>Strictly after, with the zone's offset, and matching in wall time or the first instant after a forward change.</summary>
    private static bool KeepsTheGuarantees(CronSchedule schedule, CronDayMatching matching, DateTimeOffset after, DateTimeOffset next)
    {
        var zone = schedule.TimeZone;
        if (next.UtcTicks <= after.UtcTicks || next.Ticks % TimeSpan.TicksPerSecond != 0 || next.Offset != zone.GetUtcOffset(next))
        {
            return false;
        }

        if (schedule.Fields.Matches(next.DateTime, matching))
        {
            return true;
        }

        var before = zone.GetUtcOffset(next.UtcDateTime.AddSeconds(-1));
        return before < next.Offset;
    }

    /// <summary>Every instant in (after, until] at the given step, with the rules applied as stated to the scanned offsets.</summary>
    private static List<long> Oracle(CronFields fields, CronDayMatching matching, TimeZoneInfo zone, long afterTicks, long untilTicks, long step)
    {
        // Walls already seen are the ones an overlap repeats; 3 hours of history covers every overlap from 1970 to 2040.
        var start = afterTicks - (afterTicks % step) + step;
        var history = Math.Max(0, start - (3 * TimeSpan.TicksPerHour));
        history -= history % step;
        var offsets = new ZoneOffsetScan(zone, history, untilTicks);
        if (!offsets.ChangeInstants.Any(c => c < start))
        {
            // No change before the start: wall time only rises there, so one step of history is enough.
            history = Math.Max(0, start - step);
        }

        var result = new List<long>();
        long? previousWall = null;
        var maxWall = long.MinValue;
        // The grid of whole steps, plus each change of offset: a change need not fall on a whole minute (Monrovia's
        // 00:44:30 in 1972), and the first instant after a gap is the change itself.
        var changes = new Queue<long>(offsets.ChangeInstants);
        for (var u = history; u <= untilTicks && result.Count < Compared; u = NextScanned(u, step, changes))
        {
            var wall = u + offsets.OffsetAt(u);
            var fire = false;
            if (InCalendar(wall) && Matches(fields, matching, wall))
            {
                fire = !(wall <= maxWall && fields.IsFixedTime);
            }

            if (!fire && previousWall is { } p && wall - p > step)
            {
                // A forward change: the skipped wall times fire once, now.
                for (var skipped = Math.Max(p - (p % step) + step, 0); skipped < wall && InCalendar(skipped); skipped += step)
                {
                    if (Matches(fields, matching, skipped))
                    {
                        fire = true;
                        break;
                    }
                }
            }

            if (fire && u >= start)
            {
                result.Add(u);
            }

            previousWall = wall;
            maxWall = Math.Max(maxWall, wall);
        }

        return result;
    }

    /// <summary>The time of day from the ticks first (cheap, and most instants fail it), then the whole match.</summary>
    private static bool Matches(CronFields fields, CronDayMatching matching, long wallTicks) =>
        CronFields.Has(fields.Seconds, (int)(wallTicks / TimeSpan.TicksPerSecond % 60))
        && CronFields.Has(fields.Minutes, (int)(wallTicks / TimeSpan.TicksPerMinute % 60))
        && CronFields.Has(fields.Hours, (int)(wallTicks / TimeSpan.TicksPerHour % 24))
        && fields.Matches(new DateTime(wallTicks), matching);

    private static long NextScanned(long u, long step, Queue<long> changes)
    {
        var grid = u - (u % step) + step;
        while (changes.TryPeek(out var change) && change <= u)
        {
            changes.Dequeue();
        }

        return changes.TryPeek(out var next) && next < grid ? next : grid;
    }

    private static bool InCalendar(long wallTicks) => wallTicks >= 0 && wallTicks <= DateTime.MaxValue.Ticks;

    private static DateTimeOffset RandomInstant(Random random, TimeZoneInfo zone)
    {
        long utc;
        var kind = random.Next(20);
        var transitions = ZoneOffsetScan.Transitions1970To2040(zone);
        if (kind < 11 && transitions.Length > 0)
        {
            utc = transitions[random.Next(transitions.Length)] + random.NextInt64(-6 * TimeSpan.TicksPerHour, 6 * TimeSpan.TicksPerHour);
        }
        else if (kind < 17)
        {
            utc = new DateTime(1970, 1, 1).Ticks + random.NextInt64(TimeSpan.TicksPerDay * 365 * 71);
        }
        else if (kind < 19)
        {
            utc = DateTime.MaxValue.Ticks - random.NextInt64(TimeSpan.TicksPerDay * 3);
        }
        else
        {
            utc = random.NextInt64(TimeSpan.TicksPerDay * 3);
        }

        // Presented with a foreign offset where the instant allows it: only the instant counts.
        var presented = TimeSpan.FromMinutes(random.Next(-12 * 4, 14 * 4) * 15);
        var local = utc + presented.Ticks;
        return local >= 0 && local <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset(new DateTime(local), presented)
            : new DateTimeOffset(new DateTime(utc), TimeSpan.Zero);
    }

    private static string RandomExpression(Random random, bool withSeconds)
    {
        if (random.Next(40) == 0)
        {
            return Pick(random, "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
        }

        var text = new StringBuilder();
        if (withSeconds)
        {
            text.Append(Field(random, 0, 59, null)).Append(' ');
        }

        text.Append(random.Next(4) == 0 ? "*" : Field(random, 0, 59, null)).Append(' ');
        text.Append(random.Next(4) == 0 ? "*" : Field(random, 0, 23, null)).Append(' ');
        text.Append(random.Next(2) == 0 ? Pick(random, "*", "?") : Field(random, 1, 31, null)).Append(' ');
        text.Append(random.Next(2) == 0 ? "*" : Field(random, 1, 12, ["JAN", "feb", "Mar", "apr", "MAY", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])).Append(' ');
        text.Append(random.Next(2) == 0 ? Pick(random, "*", "?") : Field(random, 0, 7, ["sun", "MON", "tue", "Wed", "thu", "fri", "SAT"]));
        return text.ToString();
    }

    /// <summary>One field: a value, name, range, stepped range or star, a list of those, or a step past the field's end.</summary>
    private static string Field(Random random, int min, int max, string[]? names)
    {
        string Value()
        {
            var v = random.Next(min, max + 1);
            return names is not null && random.Next(3) == 0 && v - min < names.Length && (min == 1 ? v - 1 : v) < names.Length
                ? names[min == 1 ? v - 1 : v]
                : random.Next(10) == 0 ? v.ToString("D2", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
        }

        string Item()
        {
            switch (random.Next(8))
            {
                case 0:
                    return $"*/{random.Next(1, max + 2)}";
                case 1:
                    var a = random.Next(min, max + 1);
                    var b = random.Next(a, max + 1);
                    return $"{a}-{b}";
                case 2:
                    var c = random.Next(min, max + 1);
                    return $"{c}-{random.Next(c, max + 1)}/{random.Next(1, 12)}";
                case 3:
                    return $"{Value()}/{random.Next(1, 30)}";
                case 4:
                    return $"{random.Next(min, max + 1)}/{Pick(random, "2147483647", "1000000", "64")}";
                default:
                    return Value();
            }
        }

        var count = random.Next(5) == 0 ? random.Next(2, 4) : 1;
        return string.Join(',', Enumerable.Range(0, count).Select(_ => Item()));
    }

    /// <summary>Damages one field (or the whole text) so it is usually, not always, invalid.</summary>
    private static string Break(Random random, string expression)
    {
        var parts = expression.Split(' ');
        switch (random.Next(4))
        {
            case 0:
                parts[random.Next(parts.Length)] = Pick(random, Invalid);
                return string.Join(' ', parts);
            case 1:
                return string.Join(' ', parts.Take(random.Next(parts.Length))) + Pick(random, "", " 1 2", " *");
            case 2:
                var at = random.Next(expression.Length + 1);
                return expression.Insert(at, ((char)random.Next(32, 127)).ToString());
            default:
                return Pick(random, "@every 5m", "@bogus", "   ", "@", "* * * * * * *", "\t* * * * *\n");
        }
    }

    private static string Format(List<long> instants, TimeZoneInfo zone) =>
        string.Join(", ", instants.Select(t => new DateTimeOffset(new DateTime(t), TimeSpan.Zero).ToOffset(zone.GetUtcOffset(new DateTime(t, DateTimeKind.Utc))).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)));

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
