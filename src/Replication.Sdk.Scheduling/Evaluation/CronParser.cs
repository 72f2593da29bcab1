using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// <remarks>
    /// The usual field shapes are read inline with each field's range as constants, and the position stays in a register
    /// (the out-of-line reader of other shapes takes and returns it by value): calls, and a position kept in memory
    /// because it was passed by reference, were most of what a first parse cost beyond Cronos's.
    /// </remarks>
    internal static bool TryScan(string expression, out CronFields fields)
    {
        // The scan reads fields separated by exactly one space, with none before or after (how expressions are written),
        // so the spaces count the fields: 5, or 6 with seconds first. A macro, other white space or a double space
        // makes a field that does not scan, and the expression goes to the thorough parse.
        var spaces = CountSpaces(expression);
        if (spaces is not (4 or 5))
        {
            fields = default;
            return false;
        }

        var i = 0;
        var seconds = spaces == 5 ? ScanField(expression, ref i, 0, 59, FieldNames.None) : 1UL;
        var minutes = ScanField(expression, ref i, 0, 59, FieldNames.None);
        var hours = ScanField(expression, ref i, 0, 23, FieldNames.None);
        var daysOfMonth = ScanField(expression, ref i, 1, 31, FieldNames.None);
        var months = ScanField(expression, ref i, 1, 12, FieldNames.Months);
        var daysOfWeek = ScanField(expression, ref i, 0, 7, FieldNames.Days);
        if (((seconds | minutes | hours | daysOfMonth | months | daysOfWeek) & Declined) != 0 || i != expression.Length + 1)
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
    /// The spaces in <paramref name="text"/>. An expression of 9 to 16 characters (nearly all) is read as two overlapping
    /// blocks of 8, with the overlap counted once: a character loop cost as much as reading the fields.
    /// </summary>
    private static int CountSpaces(string text)
    {
        var length = text.Length;
        if (length is >= 9 and <= 16 && Vector128.IsHardwareAccelerated)
        {
            ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text.AsSpan()));
            var space = Vector128.Create((ushort)' ');
            var head = Vector128.Equals(Vector128.LoadUnsafe(ref start), space).ExtractMostSignificantBits();
            var tail = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)(length - 8)), space).ExtractMostSignificantBits();

            // Lane k of the tail is character length - 8 + k; the lanes below 16 - length are characters the head has.
            tail &= ~((1u << (16 - length)) - 1);
            return BitOperations.PopCount(head) + BitOperations.PopCount(tail);
        }

        var spaces = 0;
        foreach (var c in text)
        {
            spaces += c == ' ' ? 1 : 0;
        }

        return spaces;
    }

    /// <summary>
    /// The field at <paramref name="i"/>, which it leaves past the space after it (or one past the end): its bits, with
    /// <see cref="UnrestrictedFlag"/> and <see cref="IntervalFlag"/> above them (values stay below 60), or <see cref="Declined"/>.
    /// </summary>
    /// <remarks>
    /// Inlined at each field with its range as constants, it reads the shapes nearly every field has (<c>*</c>, a number of
    /// one or two digits, <c>*/</c> and such a step) with a few comparisons, and leaves the rest to <see cref="ScanItems"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ScanField(string text, ref int i, int min, int max, FieldNames names)
    {
        var at = i;
        var length = text.Length;
        if ((uint)at < (uint)length)
        {
            var first = text[at];
            if (first == '*')
            {
                // '*' alone, or '*/step' with a step of one or two digits.
                var top = max == 7 ? 6 : max;
                if ((uint)(at + 1) >= (uint)length || text[at + 1] == ' ')
                {
                    i = at + 2;
                    return Mask(min, top, 1) | UnrestrictedFlag | IntervalFlag;
                }

                if (text[at + 1] == '/' && ShortNumberAt(text, at + 2) is var (step, next) && step > 0)
                {
                    i = next + 1;
                    return Mask(min, top, step) | (step == 1 ? UnrestrictedFlag : 0) | IntervalFlag;
                }
            }
            else if (ShortNumberAt(text, at) is var (value, next) && value >= min && value <= max)
            {
                i = next + 1;
                return 1UL << value;
            }
        }

        // Out of line, it takes and returns the position by value, so that the caller's stays in a register.
        (var bits, i) = ScanItems(text, at, min, max, names);
        return bits;
    }

    /// <summary>
    /// A number of one or two digits at <paramref name="at"/> that ends the field (the end or a space follows), with the
    /// position after it; the value -1 for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Value, int Next) ShortNumberAt(string text, int at)
    {
        if ((uint)at >= (uint)text.Length || !char.IsAsciiDigit(text[at]))
        {
            return (-1, at);
        }

        var value = text[at] - '0';
        var next = at + 1;
        if ((uint)next < (uint)text.Length && char.IsAsciiDigit(text[next]))
        {
            value = (value * 10) + (text[next] - '0');
            next++;
        }

        return (uint)next >= (uint)text.Length || text[next] == ' ' ? (value, next) : (-1, at);
    }

    /// <summary>A field of any shape the scan reads (lists, ranges, steps, names), as <see cref="ScanField"/> returns it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ulong Bits, int Next) ScanItems(string text, int at, int min, int max, FieldNames names)
    {
        ulong result = 0;
        while (true)
        {
            int start;
            int end;
            var isStar = at < text.Length && text[at] is '*' or '?';
            var hasDash = false;
            if (isStar)
            {
                (start, end) = (min, max == 7 ? 6 : max);
                at++;
            }
            else
            {
                start = ScanValue(text, ref at, min, max, names);
                end = start;
                if (at < text.Length && text[at] == '-')
                {
                    at++;
                    hasDash = true;
                    end = ScanValue(text, ref at, min, max, names);
                }

                if ((start | end) < 0)
                {
                    return (Declined, at);
                }
            }

            var step = 1;
            var hasSlash = at < text.Length && text[at] == '/';
            if (hasSlash)
            {
                at++;
                step = ScanDigits(text, ref at);
                if (step <= 0)
                {
                    return (Declined, at);
                }

                // "N/step" means "N-max/step" (robfig and Vixie cron). Weekdays end at 6 as in robfig; "7/step" is Sunday alone.
                if (!isStar && !hasDash)
                {
                    end = max == 7 ? Math.Max(6, start) : max;
                }
            }

            if (start > end)
            {
                return (Declined, at);
            }

            result |= Mask(start, end, step) | (isStar && step == 1 ? UnrestrictedFlag : 0) | (isStar || hasSlash || hasDash ? IntervalFlag : 0);
            if (at == text.Length || text[at] == ' ')
            {
                return (result, at + 1);
            }

            if (text[at] != ',')
            {
                return (Declined, at);
            }

            at++;
        }
    }

    /// <summary>A value at <paramref name="i"/>: digits, or a three-letter name where the field has names, within the field's range; -1 if none.</summary>
    private static int ScanValue(string text, ref int i, int min, int max, FieldNames names)
    {
        if (names != FieldNames.None && i < text.Length && char.IsAsciiLetter(text[i]))
        {
            return ScanName(text, ref i, names);
        }

        var value = ScanDigits(text, ref i);
        return value >= min && value <= max ? value : -1;
    }

    /// <summary>A month or weekday name at <paramref name="i"/> (what follows it is checked by the caller, as for digits); -1 if none.</summary>
    private static int ScanName(string text, ref int i, FieldNames kind)
    {
        if (i + 3 > text.Length)
        {
            return -1;
        }

        var (names, nameBase) = kind == FieldNames.Months ? (MonthNames, 1) : (DayNames, 0);
        var name = text.AsSpan(i, 3);
        for (var n = 0; n < names.Length; n++)
        {
            if (name.Equals(names[n], StringComparison.OrdinalIgnoreCase))
            {
                i += 3;
                return n + nameBase;
            }
        }

        return -1;
    }

    /// <summary>Digits at <paramref name="i"/>, as <see cref="TryParseDigits"/> reads them (what follows is checked by the caller); -1 if none or too large.</summary>
    private static int ScanDigits(string text, ref int i)
    {
        var at = i;
        long result = 0;
        for (; at < text.Length && char.IsAsciiDigit(text[at]); at++)
        {
            if ((result = (result * 10) + (text[at] - '0')) > int.MaxValue)
            {
                return -1;
            }
        }

        var digits = at - i;
        i = at;
        return digits == 0 ? -1 : (int)result;
    }

    /// <summary>
    /// The values from <paramref name="start"/> to <paramref name="end"/> by <paramref name="step"/>. A plain range is one
    /// mask (values stay below 60, so the shift cannot overflow); a step sets its values one by one, in long: a step near
    /// int.MaxValue would overflow an int and wrap around to values the field does not have.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // with constant bounds (a '*'), a plain range folds to a constant
    private static ulong Mask(int start, int end, int step) =>
        step == 1 ? ((1UL << (end + 1)) - 1) & ~((1UL << start) - 1) : SteppedMask(start, end, step);

    private static ulong SteppedMask(int start, int end, int step)
    {
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

    /// <summary>Which names a field accepts besides numbers.</summary>
    private enum FieldNames
    {
        None,
        Months,
        Days,
    }
}
