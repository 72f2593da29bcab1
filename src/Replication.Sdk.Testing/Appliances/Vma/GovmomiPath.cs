using System.Text;
using System.Text.RegularExpressions;

namespace Replication.Sdk.Testing;

/// <summary>govmomi's finder matches inventory names with Go's <c>path.Match</c>: <c>*</c>, <c>?</c> and <c>[…]</c>, case-sensitive.</summary>
internal static class GovmomiPath
{
    public static bool Matches(string pattern, string name)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var end and > 0:
                    var set = pattern[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return Regex.IsMatch(name, regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
