using System.Globalization;
using System.Text;
using System.Net;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// The dashboard's only way to write text into a page: every value goes through <see cref="E(string?)"/> (HTML-encoded)
/// and every link segment through <see cref="Segment"/> (URL- then HTML-encoded), so a VM called <c>&lt;script&gt;</c> is text.
/// </summary>
internal static class Html
{
    /// <summary>HTML-encodes, and shows a control character (other than tab and line feed) as U+FFFD instead of writing it raw.</summary>
    public static string E(string? text) => text is null ? "" : WebUtility.HtmlEncode(text.Any(IsControl) ? string.Concat(text.Select(c => IsControl(c) ? '\uFFFD' : c)) : text);

    public static string Segment(string text) => E(Uri.EscapeDataString(text));

    private static bool IsControl(char c) => c is < ' ' and not '\t' and not '\n' or '\u007F';

    public static string Time(DateTimeOffset? at) => at is { } t ? E(t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)) : "<span class=\"muted\">–</span>";

    public static string Local(DateTimeOffset at) => E(at.ToString("yyyy-MM-dd HH:mm:ss (zzz)", CultureInfo.InvariantCulture));

    public static string Age(TimeSpan? age) => age is not { } a ? "<span class=\"muted\">never</span>"
        : E(a.TotalDays >= 1 ? $"{(int)a.TotalDays}d {a.Hours}h" : a.TotalHours >= 1 ? $"{(int)a.TotalHours}h {a.Minutes}m" : $"{(int)a.TotalMinutes}m {a.Seconds}s");

    public static string Span(TimeSpan? span) => span is { } s ? E(s.ToString("c", CultureInfo.InvariantCulture)) : "<span class=\"muted\">–</span>";

    public static string Status(string status) => $"<span class=\"status {E(status)}\">{E(status)}</span>";

    public static string Short(string id) => E(id.Length > 12 ? id[..12] : id);

    public static StringBuilder Row(this StringBuilder html, params string[] cells)
    {
        html.Append("<tr>");
        foreach (var cell in cells)
        {
            html.Append("<td>").Append(cell).Append("</td>");
        }

        return html.Append("</tr>");
    }

    public static StringBuilder Head(this StringBuilder html, string id, params string[] headings)
    {
        html.Append("<table id=\"").Append(E(id)).Append("\"><thead><tr>");
        foreach (var heading in headings)
        {
            html.Append("<th>").Append(E(heading)).Append("</th>");
        }

        return html.Append("</tr></thead><tbody>");
    }

    public static StringBuilder EndTable(this StringBuilder html, int rows, int columns, string empty)
    {
        if (rows == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{columns}\" class=\"muted\">{E(empty)}</td></tr>");
        }

        return html.Append("</tbody></table>");
    }
}
