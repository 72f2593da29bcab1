using System.Text.RegularExpressions;

namespace Replication.Sdk.Conventions.Tests;

/// <summary>
/// Each package's README is what nuget.org shows: it says what the package is, how to install it and a short use, and
/// links only by absolute URL (a repository-relative link is dead on nuget.org).
/// </summary>
public sealed partial class PackageReadmeTests
{
    public static TheoryData<string> Libraries()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(Path.Combine(PublicApiApprovalTests.RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories))
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Readme_HasTheInstallLine_AUse_AndOnlyAbsoluteLinks(string package)
    {
        var path = Path.Combine(PublicApiApprovalTests.RepositoryRoot(), "src", package, "README.md");
        File.Exists(path).Should().BeTrue($"{package} needs its own package README");
        var text = File.ReadAllText(path);

        text.Should().StartWith($"# {package}");
        text.Should().Contain($"dotnet add package {package}");
        var code = CSharpBlock().Match(text);
        code.Success.Should().BeTrue("a README shows a short use");
        code.Groups["code"].Value.Split('\n').Length.Should().BeInRange(5, 16, "the use stays short");
        foreach (Match link in MarkdownLink().Matches(text))
        {
            link.Groups["target"].Value.Should().StartWith("https://", $"link '{link.Value}' of {package}'s README must be absolute");
        }
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\]\((?<target>[^)]+)\)")]
    private static partial Regex MarkdownLink();
}
