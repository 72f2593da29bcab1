using System.Globalization;
using System.Text;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The text form of a <see cref="ReplicationWindow"/>: items separated by <c>;</c>, each a list of days (<c>Mon</c>,
/// <c>Mon-Fri</c>, <c>Sat,Sun</c>; three-letter or full English names, any case; a range may wrap, <c>Sat-Mon</c>) and a
/// list of whole-hour spans (<c>22:00-06:00</c>, <c>00:00-24:00</c>, <c>01:00-03:00,20:00-22:00</c>). A span whose end is
/// not after its start runs past midnight and belongs to the day it starts on. Spans may overlap (their union counts).
/// The canonical form (<see cref="Format"/>) groups days with the same spans, Monday first.
/// </summary>
internal static class ReplicationWindowText
{
    // Monday first, as people write weeks.
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private enum TokenKind
    {
        Word,
        Time,
        Dash,
        Comma,
        Semicolon,
        End,
    }

    public static ReplicationWindow? Parse(string text, out ReplicationWindowFormatException? error)
    {
        var days = new uint[7];
        var parser = new Parser(text);
        error = parser.Run(days);
        if (error is not null)
        {
            return null;
        }

        return ReplicationWindow.FromDays(days) ?? throw new InvalidOperationException("a parsed window allows no hour");
    }

    public static string Format(uint[] days)
    {
        var spans = new string[7];
        for (var d = 0; d < 7; d++)
        {
            spans[d] = string.Join(",", OwnSpans(days, d).Select(s => $"{s.Start:00}:00-{s.End:00}:00"));
        }

        var items = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in Week)
        {
            var key = spans[(int)day];
            if (key.Length == 0 || !done.Add(key))
            {
                continue;
            }

            items.Add($"{DayList(Week.Select(d => spans[(int)d] == key).ToArray())} {key}");
        }

        return string.Join("; ", items);
    }

    /// <summary>
    /// The spans written on day <paramref name="d"/>: its runs of hours, where a run up to midnight that does not start at
    /// midnight takes in the next day's run from midnight (unless that is the whole day), and a run from midnight taken in
    /// by the day before is not written again.
    /// </summary>
    private static List<(int Start, int End)> OwnSpans(uint[] days, int d)
    {
        var runs = Runs(days[d]);
        if (Merges(days[(d + 6) % 7], days[d]))
        {
            runs.RemoveAt(0);
        }

        if (Merges(days[d], days[(d + 1) % 7]))
        {
            runs[^1] = (runs[^1].Start, Runs(days[(d + 1) % 7])[0].End);
        }

        return runs;
    }

    /// <summary>
    /// Whether a day's last run (up to midnight, not from it) and the next day's first run (from midnight, not the whole
    /// day) are written as one span past midnight: only when the span's end is before its start, or it would read back
    /// as a span within one day.
    /// </summary>
    private static bool Merges(uint day, uint next)
    {
        if ((day & (1u << 23)) == 0 || day == ReplicationWindow.FullDay || (next & 1) == 0 || next == ReplicationWindow.FullDay)
        {
            return false;
        }

        return Runs(next)[0].End < Runs(day)[^1].Start;
    }

    private static List<(int Start, int End)> Runs(uint mask)
    {
        var runs = new List<(int, int)>();
        var h = 0;
        while (h < 24)
        {
            if ((mask & (1u << h)) == 0)
            {
                h++;
                continue;
            }

            var start = h;
            while (h < 24 && (mask & (1u << h)) != 0)
            {
                h++;
            }

            runs.Add((start, h));
        }

        return runs;
    }

    /// <summary><c>Mon</c>, <c>Sat,Sun</c>, <c>Mon-Fri</c>, <c>Mon,Wed-Fri</c>: runs of three or more days as ranges.</summary>
    private static string DayList(bool[] inWeek)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < 7)
        {
            if (!inWeek[i])
            {
                i++;
                continue;
            }

            var start = i;
            while (i < 7 && inWeek[i])
            {
                i++;
            }

            var length = i - start;
            parts.Add(length >= 3 ? $"{Short(Week[start])}-{Short(Week[i - 1])}"
                : length == 2 ? $"{Short(Week[start])},{Short(Week[start + 1])}"
                : Short(Week[start]));
        }

        return string.Join(",", parts);
    }

    private static string Short(DayOfWeek day) => day.ToString()[..3];

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    /// <summary>A recursive-descent parser over a token list; every error names the token and where it starts.</summary>
    private sealed class Parser(string text)
    {
        private readonly List<Token> _tokens = [];
        private int _next;

        public ReplicationWindowFormatException? Run(uint[] days)
        {
            if (Tokenize() is { } bad)
            {
                return bad;
            }

            if (Peek.Kind == TokenKind.End)
            {
                return Error(Peek, "the window lists no days (use Mon-Sun 00:00-24:00 for always)");
            }

            while (true)
            {
                if (Item(days) is { } error)
                {
                    return error;
                }

                var after = Take();
                if (after.Kind == TokenKind.End)
                {
                    return null;
                }

                if (after.Kind != TokenKind.Semicolon)
                {
                    return Error(after, "expected ';' before the next days, ',' before another span, or the end");
                }
            }
        }

        private Token Peek => _tokens[_next];

        private Token Take() => _tokens[Math.Min(_next++, _tokens.Count - 1)];

        /// <summary>Takes a separator when the token after it is of the kind the list continues with.</summary>
        private bool Accept(TokenKind separator, TokenKind then)
        {
            if (Peek.Kind != separator || _tokens[_next + 1].Kind != then)
            {
                return false;
            }

            _next++;
            return true;
        }

        private ReplicationWindowFormatException? Item(uint[] days)
        {
            var selected = new bool[7];
            do
            {
                var first = Take();
                if (Day(first) is not { } from)
                {
                    return Error(first, "expected a day (Mon, Tue, Wed, Thu, Fri, Sat or Sun)");
                }

                var to = from;
                if (Peek.Kind == TokenKind.Dash)
                {
                    Take();
                    var last = Take();
                    if (Day(last) is not { } end)
                    {
                        return Error(last, "expected the day that ends the range");
                    }

                    to = end;
                }

                for (var d = (int)from; ; d = (d + 1) % 7)
                {
                    selected[d] = true;
                    if (d == (int)to)
                    {
                        break;
                    }
                }
            }
            while (Accept(TokenKind.Comma, TokenKind.Word));

            do
            {
                if (Span(selected, days) is { } error)
                {
                    return error;
                }
            }
            while (Accept(TokenKind.Comma, TokenKind.Time));

            return null;
        }

        private ReplicationWindowFormatException? Span(bool[] selected, uint[] days)
        {
            var startToken = Take();
            if (Hour(startToken, allow24: false, out var start) is { } bad)
            {
                return bad;
            }

            var dash = Take();
            if (dash.Kind != TokenKind.Dash)
            {
                return Error(dash, "expected '-' between the span's start and end");
            }

            var endToken = Take();
            if (Hour(endToken, allow24: true, out var end) is { } badEnd)
            {
                return badEnd;
            }

            if (end == start)
            {
                return Error(endToken, "a span must not be empty (its end equals its start)");
            }

            for (var d = 0; d < 7; d++)
            {
                if (!selected[d])
                {
                    continue;
                }

                if (end > start)
                {
                    days[d] |= Bits(start, end);
                }
                else
                {
                    // Past midnight: the rest of the day, then the next day up to the end.
                    days[d] |= Bits(start, 24);
                    days[(d + 1) % 7] |= Bits(0, end);
                }
            }

            return null;
        }

        private static uint Bits(int from, int to) => (to >= 32 ? uint.MaxValue : (1u << to) - 1) & ~((1u << from) - 1);

        private ReplicationWindowFormatException? Hour(Token token, bool allow24, out int hour)
        {
            hour = 0;
            if (token.Kind != TokenKind.Time)
            {
                return Error(token, "expected a time of day such as 22:00");
            }

            var colon = token.Text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 1 || colon > 2 || token.Text.Length - colon != 3)
            {
                return Error(token, "expected a time written HH:00");
            }

            if (token.Text[(colon + 1)..] != "00")
            {
                return Error(token, "a window is made of whole hours: minutes must be 00");
            }

            hour = int.Parse(token.Text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
            var max = allow24 ? 24 : 23;
            return hour > max ? Error(token, allow24 ? "an hour must be 00 to 24" : "a span must start at 00 to 23") : null;
        }

        private static DayOfWeek? Day(Token token)
        {
            if (token.Kind != TokenKind.Word)
            {
                return null;
            }

            foreach (var day in Week)
            {
                var name = day.ToString();
                if (token.Text.Equals(name, StringComparison.OrdinalIgnoreCase) || token.Text.Equals(name[..3], StringComparison.OrdinalIgnoreCase))
                {
                    return day;
                }
            }

            return null;
        }

        private ReplicationWindowFormatException? Tokenize()
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (char.IsAsciiLetter(c))
                {
                    while (i < text.Length && char.IsAsciiLetter(text[i]))
                    {
                        i++;
                    }

                    _tokens.Add(new(TokenKind.Word, text[start..i], start));
                }
                else if (char.IsAsciiDigit(c))
                {
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == ':'))
                    {
                        i++;
                    }

                    _tokens.Add(new(TokenKind.Time, text[start..i], start));
                }
                else
                {
                    var kind = c switch { '-' => TokenKind.Dash, ',' => TokenKind.Comma, ';' => TokenKind.Semicolon, _ => TokenKind.End };
                    if (kind == TokenKind.End)
                    {
                        return new ReplicationWindowFormatException(text, c.ToString(), start, "unexpected character");
                    }

                    _tokens.Add(new(kind, c.ToString(), start));
                    i++;
                }
            }

            _tokens.Add(new(TokenKind.End, "", text.Length));
            _tokens.Add(new(TokenKind.End, "", text.Length));
            return null;
        }

        private ReplicationWindowFormatException Error(Token token, string problem) => new(text, token.Text, token.Position, problem);
    }
}
