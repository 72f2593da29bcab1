using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Replication.Sdk.Docs.Tests;

/// <summary>
/// Compiles a documentation C# block with Roslyn against the framework, the Microsoft.Extensions assemblies and only those
/// Replication.Sdk packages its page tells the reader to add (<c>dotnet add package …</c>), so a missing install line, a
/// missing <c>using</c> or an undefined type is a test failure.
/// </summary>
/// <remarks>
/// A block is a complete file (top-level program and/or type declarations) unless the line before it is a marker
/// <c>&lt;!-- snippet: fragment | using A, B | given T a, U b --&gt;</c>: the block is then the body of an async method
/// whose parameters are the <c>given</c> values, in a file with those <c>using</c>s.
/// </remarks>
internal static class SnippetCompiler
{
    // What a `dotnet new console` project has implicitly (ImplicitUsings for Microsoft.NET.Sdk).
    private const string ConsoleImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // Each package and the packages it brings in.
    private static readonly Dictionary<string, string[]> PackageAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Replication.Sdk"] = ["Replication.Sdk"],
        ["Replication.Sdk.Scheduling"] = ["Replication.Sdk.Scheduling", "Replication.Sdk"],
        ["Replication.Sdk.Scheduling.MySql"] = ["Replication.Sdk.Scheduling.MySql", "Replication.Sdk.Scheduling", "Replication.Sdk", "MySqlConnector"],
        ["Replication.Sdk.Testing"] = ["Replication.Sdk.Testing"],
        ["Replication.Sdk.OpenTelemetry"] = ["Replication.Sdk.OpenTelemetry", "Replication.Sdk"],
        ["Replication.Sdk.Scheduling.AspNetCore"] = ["Replication.Sdk.Scheduling.AspNetCore", "Replication.Sdk.Scheduling", "Replication.Sdk"],
    };

    // Assemblies of the test process that a reader's project would not have.
    private static readonly string[] NeverReferenced = ["Replication.Sdk.Docs.Tests", "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp", "MySqlConnector"];

    private static readonly string[] PlatformAssemblies =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    public static IReadOnlyList<string> Compile(CodeBlock block, IReadOnlySet<string> packagesAdded)
    {
        var allowed = packagesAdded.Where(PackageAssemblies.ContainsKey).SelectMany(p => PackageAssemblies[p]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = PlatformAssemblies
            .Where(path => Path.GetFileNameWithoutExtension(path) is var name
                && (allowed.Contains(name) || (!NeverReferenced.Contains(name, StringComparer.OrdinalIgnoreCase) && !name.StartsWith("Replication.", StringComparison.OrdinalIgnoreCase))))
            .Select(path => MetadataReference.CreateFromFile(path));

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var source = Source(block);
        var tree = CSharpSyntaxTree.ParseText(source, parse, path: block.Page);
        var executable = block.Marker is null && tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                ["CS1998"] = ReportDiagnostic.Suppress, // a fragment's scaffold method is async whether or not the fragment awaits
                ["CS1591"] = ReportDiagnostic.Suppress,
            });
        var compilation = CSharpCompilation.Create("Snippet", [tree, CSharpSyntaxTree.ParseText(ConsoleImplicitUsings, parse)], references, options);

        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())];
    }

    private static string Source(CodeBlock block)
    {
        if (block.Marker is null)
        {
            return $"#line {block.Line + 1} \"{block.Page}\"\n{block.Code}\n";
        }

        var parts = block.Marker.Split('|', StringSplitOptions.TrimEntries);
        parts[0].Should().Be("fragment", "the snippet marker at {0} names a kind", block);
        var usings = parts.Where(p => p.StartsWith("using ", StringComparison.Ordinal)).SelectMany(p => p["using ".Length..].Split(',', StringSplitOptions.TrimEntries));
        var given = parts.FirstOrDefault(p => p.StartsWith("given ", StringComparison.Ordinal))?["given ".Length..] ?? "";
        var text = new StringBuilder();
        foreach (var u in usings)
        {
            text.Append("using ").Append(u).Append(";\n");
        }

        text.Append("internal static class Fragment\n{\n    internal static async Task RunAsync(").Append(given).Append(")\n    {\n");
        text.Append($"#line {block.Line + 1} \"{block.Page}\"\n").Append(block.Code).Append("\n#line default\n    }\n}\n");
        return text.ToString();
    }
}
