using System.Globalization;

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
        var text = expression.Trim();
        if (text.Length == 0)
        {
            throw new ScheduleFormatException(expression, null, "the expression is empty.");
        }

        if (text.StartsWith('@'))
        {
            if (text.StartsWith("@every", StringComparison.OrdinalIgnoreCase))
            {
                throw new ScheduleFormatException(expression, null, "'@every' intervals are not supported; write the interval as a cron expression (for example '0 */15 * * * *').");
            }

            text = Macros.TryGetValue(text, out var macro)
                ? macro
                : throw new ScheduleFormatException(expression, null, $"unknown macro '{text}'; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly.");
        }

        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 5)
        {
            parts = ["0", .. parts];
        }
        else if (parts.Length != 6)
        {
            throw new ScheduleFormatException(expression, null,
                $"expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), but found {parts.Length}.");
        }

        var bits = new ulong[6];
        var unrestricted = new bool[6];
        var isInterval = false;
        for (var i = 0; i < 6; i++)
        {
            (bits[i], unrestricted[i], var fieldIsInterval) = ParseField(expression, Fields[i], parts[i]);
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

    private static (ulong Bits, bool Unrestricted, bool IsInterval) ParseField(string expression, FieldSpec spec, string field)
    {
        ulong bits = 0;
        var unrestricted = false;
        var isInterval = false;
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"'{field}' has an empty list item.");
            }

            var (itemBits, itemUnrestricted, itemIsInterval) = ParseItem(expression, spec, item);
            bits |= itemBits;
            unrestricted |= itemUnrestricted;
            isInterval |= itemIsInterval;
        }

        return (bits, unrestricted, isInterval);
    }

    private static (ulong Bits, bool Unrestricted, bool IsInterval) ParseItem(string expression, FieldSpec spec, string item)
    {
        var slash = item.Split('/');
        if (slash.Length > 2)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"'{item}' has more than one '/'.");
        }

        var rangeText = slash[0];
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
            var dash = rangeText.Split('-');
            if (dash.Length > 2)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"'{item}' has more than one '-'.");
            }

            start = ParseValue(expression, spec, dash[0], item);
            end = dash.Length == 2 ? ParseValue(expression, spec, dash[1], item) : start;
        }

        var step = 1;
        if (slash.Length == 2)
        {
            if (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out step))
            {
                throw new ScheduleFormatException(expression, spec.Name, $"step '{slash[1]}' in '{item}' is not a positive whole number.");
            }

            if (step == 0)
            {
                throw new ScheduleFormatException(expression, spec.Name, $"step 0 in '{item}' is not allowed; a step must be positive.");
            }

            // "N/step" means "N-max/step" (robfig and Vixie cron). Weekdays end at 6 as in robfig; "7/step" is Sunday alone.
            if (!isStar && !rangeText.Contains('-', StringComparison.Ordinal))
            {
                end = spec.Max == 7 ? Math.Max(6, start) : spec.Max;
            }
        }

        if (start > end)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"range '{item}' is reversed: {start} is after {end}.");
        }

        ulong bits = 0;
        // In long: a step near int.MaxValue would overflow an int and wrap around to values the field does not have.
        for (long v = start; v <= end; v += step)
        {
            bits |= 1UL << (int)v;
        }

        // As in robfig: '*' or '?' counts as unrestricted unless a step larger than 1 thins it out.
        var unrestricted = isStar && step == 1;
        var isInterval = isStar || slash.Length == 2 || rangeText.Contains('-', StringComparison.Ordinal);
        return (bits, unrestricted, isInterval);
    }

    private static int ParseValue(string expression, FieldSpec spec, string text, string item)
    {
        if (spec.Names is not null)
        {
            var index = Array.FindIndex(spec.Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + spec.NameBase;
            }
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ScheduleFormatException(expression, spec.Name, Unsupported(text, item, spec));
        }

        if (value < spec.Min || value > spec.Max)
        {
            throw new ScheduleFormatException(expression, spec.Name, $"{value} in '{item}' is out of range {spec.Min}-{spec.Max}.");
        }

        return value;
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
