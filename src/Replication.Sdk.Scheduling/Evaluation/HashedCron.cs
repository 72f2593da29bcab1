using System.Globalization;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Resolves the <c>H</c> ("hashed") token of cron fields into fixed values before any evaluator sees the expression, so
/// the token works with every <see cref="IScheduleEvaluator"/>: <c>H</c> is one value of the field's range, <c>H(a-b)</c>
/// one value of that range, <c>H/n</c> and <c>H(a-b)/n</c> a step of n starting at a hashed offset. The value comes from a
/// stable hash of the seed (the schedule id) and the field, so it is the same in every process, on every restart and on
/// every instance (<see cref="StableHash"/>).
/// </summary>
internal static class HashedCron
{
    // The day-of-month field hashes into 1-28, a day every month has (as Jenkins does); the others into their full range.
    private static readonly (string Name, int Min, int Max)[] SixFields =
    [
        ("second", 0, 59), ("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 28), ("month", 1, 12), ("day-of-week", 0, 6),
    ];

    /// <summary>Gets a value indicating whether <paramref name="expression"/> has an <c>H</c> token to resolve.</summary>
    public static bool HasToken(string expression) => expression.Contains('H', StringComparison.Ordinal);

    /// <summary>
    /// Returns <paramref name="expression"/> with every <c>H</c> item replaced; an expression without one is returned as it is.
    /// </summary>
    /// <exception cref="ScheduleFormatException">An <c>H</c> item is malformed or its range lies outside the field.</exception>
    public static string Resolve(string expression, string seed)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(seed);
        if (!HasToken(expression))
        {
            return expression;
        }

        var parts = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (5 or 6))
        {
            // Not a field list (a macro, or the wrong number of fields): the evaluator words the error.
            return expression;
        }

        var first = 6 - parts.Length;
        for (var i = 0; i < parts.Length; i++)
        {
            if (!parts[i].Contains('H', StringComparison.Ordinal))
            {
                continue;
            }

            var field = SixFields[first + i];
            parts[i] = string.Join(',', parts[i].Split(',').Select(item => ResolveItem(expression, seed, first + i, field, item)));
        }

        // A name with an H in it (THU) is no token: the expression as given, so an evaluator's cache keyed by it still hits.
        var resolved = string.Join(' ', parts);
        return resolved == string.Join(' ', expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) ? expression : resolved;
    }

    private static string ResolveItem(string expression, string seed, int fieldIndex, (string Name, int Min, int Max) field, string item)
    {
        if (!item.StartsWith('H'))
        {
            // A name such as THU: not a token.
            return item;
        }

        var rest = item.AsSpan(1);
        var (min, max) = (field.Min, field.Max);
        if (rest.StartsWith("("))
        {
            var close = rest.IndexOf(')');
            var dash = close < 0 ? -1 : rest[..close].IndexOf('-');
            if (close < 0 || dash < 0
                || !TryNumber(rest[1..dash], out min) || !TryNumber(rest[(dash + 1)..close], out max))
            {
                throw new ScheduleFormatException(expression, field.Name, $"'{item}' is not H, H(a-b), H/n or H(a-b)/n");
            }

            if (min > max || min < field.Min || max > field.Max)
            {
                throw new ScheduleFormatException(expression, field.Name, $"'{item}': the range of H must lie within {field.Min}-{field.Max}, low to high");
            }

            rest = rest[(close + 1)..];
        }

        var hash = StableHash.Of(string.Create(CultureInfo.InvariantCulture, $"{seed}\n{fieldIndex}"));
        if (rest.IsEmpty)
        {
            return (min + (int)(hash % (ulong)(max - min + 1))).ToString(CultureInfo.InvariantCulture);
        }

        if (rest[0] != '/' || !TryNumber(rest[1..], out var step) || step < 1)
        {
            throw new ScheduleFormatException(expression, field.Name, $"'{item}' is not H, H(a-b), H/n or H(a-b)/n (a step is a whole number of at least 1)");
        }

        // The offset stays within the step and the range, so the step still fires at least once in every cycle.
        var start = min + (int)(hash % (ulong)Math.Min(step, max - min + 1));
        return string.Create(CultureInfo.InvariantCulture, $"{start}-{max}/{step}");
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
