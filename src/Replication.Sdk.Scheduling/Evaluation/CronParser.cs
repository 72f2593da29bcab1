using System.Globalization;
using System.Runtime.CompilerServices;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Parses cron the way the appliance's Go library (robfig/cron v3) does, so stored schedules keep their meaning:
/// 5 fields (seconds = 0) or 6 (seconds first), <c>*</c>, <c>?</c>, lists, ranges, steps (<c>5/15</c> = from 5 to the
/// maximum), month and weekday names, weekday 7 = Sunday, and the <c>@yearly</c> … <c>@hourly</c> macros.
/// </summary>
internal static class CronParser
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private static readonly FieldSpec[] Fields =
    [
        new("second", 0, 59, null, 0),
        new("minute", 0, 59, null, 0),
        new("hour", 0, 23, null, 0),
        new("day-of-month", 1, 31, null, 0),
        new("month", 1, 12, MonthNames, 1),
        new("day-of-week", 0, 7, DayNames, 0),
    ];

    /// <summary>What <see cref="ScanField"/> returns for a field it does not read; above every field's values.</summary>
    private const ulong Declined = 1UL << 63;

    /// <summary>Set above a scanned field's values when it is unrestricted ('*' or '?' without a step).</summary>
    private const ulong UnrestrictedFlag = 1UL << 62;

    /// <summary>Set above a scanned field's values when it has '*', '?', a range or a step.</summary>
    private const ulong IntervalFlag = 1UL << 61;

    private const ulong ValueBits = (1UL << 60) - 1;

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 0 1 1 *",
        ["@annually"] = "0 0 0 1 1 *",
        ["@monthly"] = "0 0 0 1 * *",
        ["@weekly"] = "0 0 0 * * 0",
        ["@daily"] = "0 0 0 * * *",
        ["@midnight"] = "0 0 0 * * *",
        ["@hourly"] = "0 0 * * * *",
    };

    public static CronFields Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);

        // The scan reads the common syntax in one pass; whatever it declines (macros, errors, a spelling it does not know)
        // goes to the field-by-field parse, which accepts the same language and words the error messages.
        return TryScan(expression, out var fields) ? fields : ParseThorough(expression);
    }

    /// <summary>The parse by fields and items: the reference for what the language is, and the source of every error message.</summary>
    internal static CronFields ParseThorough(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);

        // Spans throughout: a parse allocates only the result (and the message of an error).
        var text = expression.AsSpan().Trim();
        if (text.IsEmpty)
        {
            throw new ScheduleFormatException(expression, null, "the expression is empty.");
        }

        if (text[0] == '@')
        {
            if (text.StartsWith("@every", StringComparison.OrdinalIgnoreCase))
            {
                throw new ScheduleFormatException(expression, null, "'@every' intervals are not supported; write the interval as a cron expression (for example '0 */15 * * * *').");
            }

            text = Macros.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var macro)
                ? macro
                : throw new ScheduleFormatException(expression, null, $"unknown macro '{text}'; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly.");
        }

        // Fields split on any white space, as string.Split with no separators does.
        Span<Range> parts = stackalloc Range[6];
        var count = 0;
        for (var i = 0; i < text.Length;)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (count < parts.Length)
            {
                parts[count] = start..i;
            }

            count++;
        }

        if (count != 5 && count != 6)
        {
            throw new ScheduleFormatException(expression, null,
                $"expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), but found {count}.");
        }

        Span<ulong> bits = stackalloc ulong[6];
        Span<bool> unrestricted = stackalloc bool[6];
        var isInterval = false;
        var first = 0;
        if (count == 5)
        {
            // 5 fields: the seconds are 0.
            bits[0] = 1UL;
            first = 1;
        }

        for (var i = first; i < 6; i++)
        {
            (bits[i], unrestricted[i], var fieldIsInterval) = ParseField(expression, Fields[i], text[parts[i - first]]);
            if (i <= 2)
            {
                isInterval |= fieldIsInterval;
            }
        }

        // Weekday 7 is Sunday, like 0.
        if (CronFields.Has(bits[5], 7))
        {
            bits[5] = (bits[5] & ~(1UL << 7)) | 1UL;
        }

        return new CronFields(bits[0], bits[1], bits[2], bits[3], bits[4], bits[5], unrestricted[3], unrestricted[5], !isInterval);
    }

    /// <summary>
    /// One pass over the expression, character by character, for what <see cref="ParseThorough"/> accepts: false for
    /// anything else (errors included), never a different answer (a seeded test compares the two). Splitting into
    /// fields and items, then searching each item for '/', '-' and ',', cost four times what the whole scan does.
    /// </summary>
    internal static bool TryScan(string expression, out CronFields fields)
    {
        var text = expression.AsSpan();

        // The scan reads fields separated by exactly one space, with none before or after (how expressions are written),
        // so the spaces count the fields: 5, or 6 with seconds first. A macro, other white space or a double space
        // makes a field that does not scan, and the expression goes to the thorough parse.
        var count = text.Count(' ') + 1;
        if (count is not (5 or 6))
        {
            fields = default;
            return false;
        }

        var i = 0;
        var seconds = count == 6 ? ScanField(text, i, 0, 59, null, 0, out i) : 1UL;
        var minutes = ScanField(text, i, 0, 59, null, 0, out i);
        var hours = ScanField(text, i, 0, 23, null, 0, out i);
        var daysOfMonth = ScanField(text, i, 1, 31, null, 0, out i);
        var months = ScanField(text, i, 1, 12, MonthNames, 1, out i);
        var daysOfWeek = ScanField(text, i, 0, 7, DayNames, 0, out i);
        if (((seconds | minutes | hours | daysOfMonth | months | daysOfWeek) & Declined) != 0 || i != text.Length + 1)
        {
            fields = default;
            return false;
        }

        // Weekday 7 is Sunday, like 0.
        if (CronFields.Has(daysOfWeek, 7))
        {
            daysOfWeek = (daysOfWeek & ~(1UL << 7)) | 1UL;
        }

        var isInterval = ((seconds | minutes | hours) & IntervalFlag) != 0;
        fields = new CronFields(seconds & ValueBits, minutes & ValueBits, hours & ValueBits, daysOfMonth & ValueBits, months & ValueBits,
            daysOfWeek & ValueBits, (daysOfMonth & UnrestrictedFlag) != 0, (daysOfWeek & UnrestrictedFlag) != 0, !isInterval);
        return true;
    }

    /// <summary>
    /// The field at <paramref name="i"/>, <paramref name="next"/> past the space after it (or one past the end): its bits, with
    /// <see cref="UnrestrictedFlag"/> and <see cref="IntervalFlag"/> above them (values stay below 60), or <see cref="Declined"/>.
    /// </summary>
    private static ulong ScanField(ReadOnlySpan<char> text, int i, int min, int max, string[]? names, int nameBase, out int next)
    {
        // The position is a local, not the caller's by reference, so that it stays in a register.
        next = 0;
        ulong result = 0;
        while (true)
        {
            int start;
            int end;
            var isStar = i < text.Length && text[i] is '*' or '?';
            var hasDash = false;
            if (isStar)
            {
                (start, end) = (min, max == 7 ? 6 : max);
                i++;
            }
            else
            {
                if (!ScanValue(text, ref i, min, max, names, nameBase, out start))
                {
                    return Declined;
                }

                end = start;
                if (i < text.Length && text[i] == '-')
                {
                    i++;
                    hasDash = true;
                    if (!ScanValue(text, ref i, min, max, names, nameBase, out end))
                    {
                        return Declined;
                    }
                }
            }

            var step = 1;
            var hasSlash = i < text.Length && text[i] == '/';
            if (hasSlash)
            {
                i++;
                if (!ScanDigits(text, ref i, out step) || step == 0)
                {
                    return Declined;
                }

                // "N/step" means "N-max/step" (robfig and Vixie cron). Weekdays end at 6 as in robfig; "7/step" is Sunday alone.
                if (!isStar && !hasDash)
                {
                    end = max == 7 ? Math.Max(6, start) : max;
                }
            }

            if (start > end)
            {
                return Declined;
            }

            result |= Mask(start, end, step) | (isStar && step == 1 ? UnrestrictedFlag : 0) | (isStar || hasSlash || hasDash ? IntervalFlag : 0);
            if (i == text.Length || text[i] == ' ')
            {
                next = i + 1;
                return result;
            }

            if (text[i] != ',')
            {
                return Declined;
            }

            i++;
        }
    }

    /// <summary>A value at <paramref name="i"/>: digits, or a three-letter name where the field has names, within the field's range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // inlined, the position stays a register of ScanField
    private static bool ScanValue(ReadOnlySpan<char> text, ref int i, int min, int max, string[]? names, int nameBase, out int value)
    {
        if (names is not null && i + 3 <= text.Length && char.IsAsciiLetter(text[i]))
        {
            // What follows the three letters is checked by the caller, as for digits.
            var name = text.Slice(i, 3);
            for (var n = 0; n < names.Length; n++)
            {
                if (name.Equals(names[n], StringComparison.OrdinalIgnoreCase))
                {
                    value = n + nameBase;
                    i += 3;
                    return true;
                }
            }

            value = 0;
            return false;
        }

        return ScanDigits(text, ref i, out value) && value >= min && value <= max;
    }

    /// <summary>Digits at <paramref name="i"/>, as <see cref="TryParseDigits"/> reads them (what follows is checked by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ScanDigits(ReadOnlySpan<char> text, ref int i, out int value)
    {
        var start = i;
        long result = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            if ((result = (result * 10) + (text[i] - '0')) > int.MaxValue)
            {
                value = 0;
                return false;
            }
        }

        value = (int)result;
        return i > start;
    }

    /// <summary>
    /// The values from <paramref name="start"/> to <paramref name="end"/> by <paramref name="step"/>. A plain range is one
    /// mask (values stay below 60, so the shift cannot overflow); a step sets its values one by one, in long: a step near
    /// int.MaxValue would overflow an int and wrap around to values the field does not have.
    /// </summary>
    private static ulong Mask(int start, int end, int step)
    {
        if (step == 1)
        {
            return ((1UL << (end + 1)) - 1) & ~((1UL << start) - 1);
        }

        ulong bits = 0;
        for (long v = start; v <= end; v += step)
        {
            bits |= 1UL << (int)v;
        }

        return bits;
    }

    private static (ulong Bits, bool Unrestricted, bool IsInterval) ParseField(string expression, FieldSpec spec, ReadOnlySpan<char> field)
    {
        ulong bits = 0;
        var unrestricted = false;
        var isInterval = false;
        for (var rest = field; ;)
        {
            var comma = rest.IndexOf(',');
            var item = comma < 0 ? rest : rest[..comma];
            if (item.IsEmpty)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"'{field}' has an empty list item.");
            }

            var (itemBits, itemUnrestricted, itemIsInterval) = ParseItem(expression, spec, item);
            bits |= itemBits;
            unrestricted |= itemUnrestricted;
            isInterval |= itemIsInterval;
            if (comma < 0)
            {
                return (bits, unrestricted, isInterval);
            }

            rest = rest[(comma + 1)..];
        }
    }

    private static (ulong Bits, bool Unrestricted, bool IsInterval) ParseItem(string expression, FieldSpec spec, ReadOnlySpan<char> item)
    {
        var slashes = item.Count('/');
        if (slashes > 1)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"'{item}' has more than one '/'.");
        }

        var slash = item.IndexOf('/');
        var rangeText = slash < 0 ? item : item[..slash];
        var hasDash = rangeText.Contains('-');
        int start;
        int end;
        var isStar = rangeText is "*" or "?";
        if (isStar)
        {
            start = spec.Min;
            end = spec.Max == 7 ? 6 : spec.Max;
        }
        else
        {
            if (rangeText.Count('-') > 1)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"'{item}' has more than one '-'.");
            }

            var dash = rangeText.IndexOf('-');
            start = ParseValue(expression, spec, dash < 0 ? rangeText : rangeText[..dash], item);
            end = dash < 0 ? start : ParseValue(expression, spec, rangeText[(dash + 1)..], item);
        }

        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!TryParseDigits(stepText, out step))
            {
                throw new ScheduleFormatException(expression, spec.Name, $"step '{stepText}' in '{item}' is not a positive whole number.");
            }

            if (step == 0)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"step 0 in '{item}' is not allowed; a step must be positive.");
            }

            // "N/step" means "N-max/step" (robfig and Vixie cron). Weekdays end at 6 as in robfig; "7/step" is Sunday alone.
            if (!isStar && !hasDash)
            {
                end = spec.Max == 7 ? Math.Max(6, start) : spec.Max;
            }
        }

        if (start > end)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"range '{item}' is reversed: {start} is after {end}.");
        }

        var bits = Mask(start, end, step);

        // As in robfig: '*' or '?' counts as unrestricted unless a step larger than 1 thins it out.
        var unrestricted = isStar && step == 1;
        var isInterval = isStar || slash >= 0 || hasDash;
        return (bits, unrestricted, isInterval);
    }

    private static int ParseValue(string expression, FieldSpec spec, ReadOnlySpan<char> text, ReadOnlySpan<char> item)
    {
        if (spec.Names is not null && text.Length == 3)
        {
            for (var i = 0; i < spec.Names.Length; i++)
            {
                if (text.Equals(spec.Names[i], StringComparison.OrdinalIgnoreCase))
                {
                    return i + spec.NameBase;
                }
            }
        }

        if (!TryParseDigits(text, out var value))
        {
            throw new ScheduleFormatException(expression, spec.Name, Unsupported(text.ToString(), item.ToString(), spec));
        }

        if (value < spec.Min || value > spec.Max)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"{value} in '{item}' is out of range {spec.Min}-{spec.Max}.");
        }

        return value;
    }

    /// <summary>
    /// ASCII digits only, as <c>int.TryParse</c> with <see cref="NumberStyles.None"/> reads them (no sign, no white space,
    /// at most <see cref="int.MaxValue"/>), without its culture and style machinery, which was most of a parse's cost.
    /// </summary>
    private static bool TryParseDigits(ReadOnlySpan<char> text, out int value)
    {
        long result = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) || (result = (result * 10) + (c - '0')) > int.MaxValue)
            {
                value = 0;
                return false;
            }
        }

        value = (int)result;
        return !text.IsEmpty;
    }

    private static string Unsupported(string text, string item, FieldSpec spec)
    {
        if (text.Length == 0)
        {
            return $"'{item}' is missing a value.";
        }

        if (item.Contains('#', StringComparison.Ordinal))
        {
            return $"'{item}': '#' (nth weekday of the month) is not supported.";
        }

        var upper = text.ToUpperInvariant();
        if (upper == "L" || upper.EndsWith('L') && upper.TrimEnd('L').All(char.IsAsciiDigit))
        {
            return $"'{item}': 'L' (last day) is not supported.";
        }

        if (upper.EndsWith('W') && upper.TrimEnd('W').All(char.IsAsciiDigit))
        {
            return $"'{item}': 'W' (nearest weekday) is not supported.";
        }

        if (upper.StartsWith('H'))
        {
            return $"'{item}': 'H' (hashed values) is not supported.";
        }

        return spec.Names is null
            ? $"'{text}' is not a number."
            : $"'{text}' is not a number or a {(spec.NameBase == 1 ? "month" : "weekday")} name.";
    }

    private sealed record FieldSpec(string Name, int Min, int Max, string[]? Names, int NameBase);
}
