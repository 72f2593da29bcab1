using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Conventions.Tests;

/// <summary>
/// The public API is a product: any change to it shows up as a diff of the approved files. To accept an intended change,
/// run the tests with <c>REPLICATION_SDK_ACCEPT_API=1</c> and commit the updated <c>Approved/*.txt</c>.
/// </summary>
public sealed class PublicApiApprovalTests
{
    public static TheoryData<string> Assemblies => new() { "Replication.Sdk", "Replication.Sdk.Scheduling", "Replication.Sdk.Scheduling.MySql", "Replication.Sdk.Testing", "Replication.Sdk.OpenTelemetry", "Replication.Sdk.Scheduling.AspNetCore" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesApprovedSnapshot(string assemblyName)
    {
        _ = typeof(ReplicationServiceCollectionExtensions);
        _ = typeof(CronScheduleEvaluator);
        _ = typeof(Replication.Sdk.Testing.ApplianceSimulator);
        _ = typeof(Replication.Sdk.Scheduling.MySql.MySqlStoreOptions);
        _ = typeof(Replication.Sdk.OpenTelemetry.ReplicationInstrumentation);
        _ = typeof(Replication.Sdk.Scheduling.AspNetCore.ReplicationSchedulingApiOptions);
        var actual = PublicApi.Render(Assembly.Load(assemblyName));
        var approvedPath = Path.Combine(RepositoryRoot(), "tests", "Replication.Sdk.Conventions.Tests", "Approved", $"{assemblyName}.approved.txt");

        if (Environment.GetEnvironmentVariable("REPLICATION_SDK_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : "";
        if (approved != actual)
        {
            File.WriteAllText(Path.ChangeExtension(approvedPath, null).Replace(".approved", ".received", StringComparison.Ordinal) + ".txt", actual);
        }

        actual.Should().Be(approved, $"the public API of {assemblyName} changed; review {assemblyName}.received.txt and accept it with REPLICATION_SDK_ACCEPT_API=1");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Replication.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Replication.Sdk.sln not found above the test output.");
    }
}
