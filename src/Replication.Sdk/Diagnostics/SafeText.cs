using System.Globalization;
using System.Text;

namespace Replication.Sdk.Diagnostics;

/// <summary>
/// Escapes control and line-separator characters in text that reaches a log line, an exception message or an outcome
/// reason. VM names come from vCenter and error texts from the appliances: a name with a newline would otherwise forge
/// a log line of its own.
/// </summary>
internal static class SafeText
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when IsUnsafe(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    public static string? EscapeOrNull(string? text) => text is null ? null : Escape(text);

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // Control characters (C0, DEL, C1 including NEL), the Unicode line and paragraph separators, and the bidirectional
    // marks, embeddings, overrides and isolates, which reorder how the rest of a line reads ("evil\u202Eadmin").
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u061C' or '\u200E' or '\u200F'
        or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
