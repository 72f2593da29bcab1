using System.Text.RegularExpressions;

namespace Replication.Sdk.Docs.Tests;

/// <summary>A fenced code block of a Markdown page, with the snippet marker written just before it, if any.</summary>
/// <param name="Page">The page, relative to the repository root (for example <c>docs/clients.md</c>).</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The fence's info string (<c>csharp</c>, <c>sh</c>…).</param>
/// <param name="Code">The block's text, its list indentation removed.</param>
/// <param name="Marker">The text of a preceding <c>&lt;!-- snippet: … --&gt;</c> comment, or <see langword="null"/>.</param>
internal sealed record CodeBlock(string Page, int Line, string Language, string Code, string? Marker)
{
    public override string ToString() => $"{Page}:{Line}";
}

/// <summary>The parts of the repository's Markdown pages the docs tests read: code blocks and key tables.</summary>
internal static partial class Markdown
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>README.md and every docs/*.md page, as repository-relative paths.</summary>
    public static IReadOnlyList<string> Pages { get; } =
        ["README.md", .. Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    public static string[] ReadLines(string page) => File.ReadAllLines(Path.Combine(RepositoryRoot, page));

    public static IEnumerable<CodeBlock> CodeBlocks(string page)
    {
        var lines = ReadLines(page);
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success || open.Groups["lang"].Value.Length == 0)
            {
                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !ClosingFence().IsMatch(lines[i]); i++)
            {
                body.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
            }

            var previous = start - 1;
            while (previous >= 0 && string.IsNullOrWhiteSpace(lines[previous]))
            {
                previous--;
            }

            var marker = previous >= 0 ? SnippetMarker().Match(lines[previous]) : Match.Empty;
            yield return new CodeBlock(page, start + 1, open.Groups["lang"].Value, string.Join('\n', body), marker.Success ? marker.Groups["spec"].Value.Trim() : null);
        }
    }

    /// <summary>The <c>dotnet add package</c> lines of a page's shell blocks.</summary>
    public static IReadOnlySet<string> PackagesAdded(string page) =>
        CodeBlocks(page).Where(b => b.Language == "sh")
            .SelectMany(b => AddPackage().Matches(b.Code).Select(m => m.Groups["id"].Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Replication.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Replication.Sdk.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^(?<indent>\s*)```(?<lang>[A-Za-z#+-]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*```\s*$")]
    private static partial Regex ClosingFence();

    [GeneratedRegex(@"^\s*<!--\s*snippet:(?<spec>.*?)-->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"dotnet add package (?<id>[A-Za-z0-9_.-]+)")]
    private static partial Regex AddPackage();
}
