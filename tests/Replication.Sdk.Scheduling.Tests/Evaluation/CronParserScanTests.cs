using System.Text;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// The parser's one-pass scan against its thorough field-by-field parse: the scan may decline an expression (the thorough
/// parse then answers), but whatever it accepts must be read exactly as the thorough parse reads it, and it must never
/// accept what the thorough parse rejects.
/// </summary>
public sealed class CronParserScanTests
{
    private const string Alphabet = "0123456789012345*?-/,, \t#LWHjanJANmonMONsunfebX@";

    private static readonly string[] CanonicalExpressions =
    [
        "0 2 * * *", "*/15 * * * *", "0 30 2 * * *", "*/20 * * * * *", "5/15 9-17 1,15 * MON-FRI", "0 0 * JAN,mar sun",
        "0 0 1 feb-Apr *", "0 0 * * 7", "0 0 * * 5/1", "0 0 * * 7/3", "0 0 ? * ?", "*/100 * * * *", "0 9-17/4 * * *",
        "59 59 23 31 12 6", "0 0 0 1 1 *", "0-59/2147483647 * * * *", "00 05 * * *",

        // The shapes the scan reads without its item loop, at their edges: steps of one and of more than the range.
        "*/1 */7 */31 */12 */6", "*/99 */59 23 1 12 0", "9 09 */24 31 * 7", "*/5 0 * * */7",
    ];

    public static TheoryData<string> Canonical() => [.. CanonicalExpressions];

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Scan_ReadsCanonicalExpressions_AsTheThoroughParseDoes(string expression)
    {
        // A scan that declined everything would still be correct, only slow: the common forms must take the fast path.
        CronParser.TryScan(expression, out var scanned).Should().BeTrue(expression);
        scanned.Should().Be(CronParser.ParseThorough(expression), expression);
        CronParser.Parse(expression).Should().Be(scanned);
    }

    [Theory]
    [InlineData("0  2 * * *")]
    [InlineData(" 0 2 * * *")]
    [InlineData("0 2 * * * ")]
    [InlineData("0\t2 * * *")]
    [InlineData("@daily")]
    [InlineData("0 0 * * MON#2")]
    [InlineData("0 0 * * FRIDAY")]
    [InlineData("1-2-3 * * * *")]
    [InlineData("*/5/2 * * * *")]
    [InlineData("*/0 * * * *")]
    [InlineData("60 * * * *")]
    [InlineData("0 24 * * *")]
    [InlineData("0 0 0 * *")]
    [InlineData("0 0 * 13 *")]
    [InlineData("*/ * * * *")]
    [InlineData("*/5x * * * *")]
    [InlineData("5x * * * *")]
    [InlineData("0 0 * * 8")]
    [InlineData("1, * * * *")]
    [InlineData("0 0 * * * * *")]
    public void Scan_DeclinesWhatItDoesNotRead(string expression)
    {
        CronParser.TryScan(expression, out _).Should().BeFalse(expression);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Scan_OfMutatedExpressions_NeverDisagreesWithTheThoroughParse(int seed)
    {
        var random = new Random(1400 + seed);
        var accepted = 0;
        for (var i = 0; i < 25_000; i++)
        {
            var expression = Mutate(random, CanonicalExpressions[random.Next(CanonicalExpressions.Length)]);
            CronFields? thorough;
            try
            {
                thorough = CronParser.ParseThorough(expression);
            }
            catch (ScheduleFormatException)
            {
                thorough = null;
            }

            if (CronParser.TryScan(expression, out var scanned))
            {
                accepted++;
                scanned.Should().Be(thorough, $"the scan accepted '{expression}'");
            }
        }

        // Mutations keep many expressions valid: the comparison above must have run, not only the declines.
        accepted.Should().BeGreaterThan(2_000);
    }

    /// <summary>One to three random edits (insert, delete, replace a character) of a valid expression.</summary>
    private static string Mutate(Random random, string expression)
    {
        var text = new StringBuilder(expression);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            var c = Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, c);
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                default:
                    if (at < text.Length)
                    {
                        text[at] = c;
                    }

                    break;
            }
        }

        return text.ToString();
    }
}
