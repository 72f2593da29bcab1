namespace Replication.Sdk.Docs.Tests;

/// <summary>Every C# block of README.md and docs/*.md compiles, against the packages its page says to add.</summary>
public sealed class SnippetTests
{
    public static TheoryData<string> CSharpBlocks =>
        [.. Markdown.Pages.SelectMany(Markdown.CodeBlocks).Where(IsCSharp).Select(b => b.ToString())];

    [Fact]
    public void TheDocsHaveCSharpBlocks() => CSharpBlocks.Should().HaveCountGreaterThan(10);

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Block_Compiles(string location)
    {
        var block = Find(location);

        var problems = SnippetCompiler.Compile(block, Markdown.PackagesAdded(block.Page));

        problems.Should().BeEmpty("the C# block at {0} must compile as a reader would paste it:\n{1}", location, block.Code);
    }

    [Theory]
    [MemberData(nameof(PagesWithCSharp))]
    public void PageWithCSharp_ShowsTheDotnetAddPackageLinesItNeeds(string page) =>
        Markdown.PackagesAdded(page).Should().Contain(p => p.StartsWith("Replication.Sdk", StringComparison.Ordinal), "{0} shows C# using the SDK", page);

    public static TheoryData<string> PagesWithCSharp => [.. Markdown.Pages.Where(p => Markdown.CodeBlocks(p).Any(IsCSharp))];

    [Fact]
    public void Compiler_RejectsWhatAReaderCouldNotCompile()
    {
        // The check itself must be able to fail: an undefined type, and a type from a package the page does not add.
        var undefined = new CodeBlock("docs/x.md", 1, "csharp", "var x = new MyNotifier();", null);
        var notAdded = new CodeBlock("docs/x.md", 1, "csharp", "using Microsoft.Extensions.DependencyInjection;\nnew ServiceCollection().AddReplicationScheduling();", null);

        SnippetCompiler.Compile(undefined, new HashSet<string> { "Replication.Sdk" }).Should().Contain(d => d.Contains("MyNotifier", StringComparison.Ordinal));
        SnippetCompiler.Compile(notAdded, new HashSet<string> { "Replication.Sdk" }).Should().Contain(d => d.Contains("AddReplicationScheduling", StringComparison.Ordinal));
        SnippetCompiler.Compile(notAdded, new HashSet<string> { "Replication.Sdk.Scheduling" }).Should().BeEmpty();
    }

    private static bool IsCSharp(CodeBlock block) => block.Language is "csharp" or "cs" or "c#";

    private static CodeBlock Find(string location) =>
        Markdown.Pages.SelectMany(Markdown.CodeBlocks).Single(b => b.ToString() == location);
}
