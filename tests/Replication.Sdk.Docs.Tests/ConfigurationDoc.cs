using System.Text.RegularExpressions;

namespace Replication.Sdk.Docs.Tests;

/// <summary>One "## …: `Replication:X` (`XOptions`)" section of docs/configuration.md and the keys its table lists.</summary>
/// <param name="Path">The section path, for example <c>Replication:Scheduler:MySql</c>.</param>
/// <param name="OptionsTypeName">The options type named in the heading.</param>
/// <param name="Keys">The keys of the table's first column, relative to <paramref name="Path"/>; <c>N</c> stands for a list index.</param>
internal sealed record DocumentedSection(string Path, string OptionsTypeName, IReadOnlyList<string> Keys)
{
    public override string ToString() => Path;
}

internal static partial class ConfigurationDoc
{
    public const string Page = "docs/configuration.md";

    public static IReadOnlyList<DocumentedSection> Read()
    {
        var sections = new List<DocumentedSection>();
        string? path = null, type = null;
        var keys = new List<string>();
        foreach (var line in Markdown.ReadLines(Page))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                var heading = Heading().Match(line);
                (path, type) = heading.Success ? (heading.Groups["path"].Value, heading.Groups["type"].Value) : (null, null);
                continue;
            }

            if (path is not null && line.StartsWith("| `", StringComparison.Ordinal))
            {
                var firstCell = line.Split('|')[1];
                keys.AddRange(Code().Matches(firstCell).Select(m => m.Groups["key"].Value));
            }
        }

        Flush();
        return sections;

        void Flush()
        {
            if (path is not null)
            {
                sections.Add(new DocumentedSection(path, type!, [.. keys]));
            }

            keys.Clear();
        }
    }

    [GeneratedRegex(@"^## .*`(?<path>Replication(:\w+)+)` \(`(?<type>\w+)`\)")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`(?<key>[^`]+)`")]
    private static partial Regex Code();
}
