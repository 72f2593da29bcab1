using System.Globalization;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Replication.Sdk.Chaos;

/// <summary>
/// The soak in CI's bounded mode, and a long mode for the reliability figures:
/// <c>REPLICATION_CHAOS=long dotnet test tests/Replication.Sdk.Chaos</c> (see docs/reliability.md). A failing run prints
/// its seed; <c>REPLICATION_CHAOS_SEED=n</c> replays it.
/// </summary>
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Soak_NoJobLostOrDuplicated_EveryVmOneOutcome_NothingLeftRunning()
    {
        await using var store = new InMemoryChaosStore();
        await ChaosRun.RunAsync(output, store, ChaosRun.Settings(freezeOne: false, bounded: new() { FreezeOne = false }));
    }

    [Fact]
    public async Task Soak_WithAnInstanceFrozenPastItsLeaseAndResumed_HoldsEveryInvariant()
    {
        await using var store = new InMemoryChaosStore();
        await ChaosRun.RunAsync(output, store, ChaosRun.Settings(freezeOne: true, bounded: new()));
    }
}

/// <summary>
/// The same soak with every instance on the MySQL stores of one real MariaDB database holding the appliance's tables.
/// Skips locally without <c>mariadbd</c> (with the install hint) and fails in CI (<c>CI=true</c>) instead.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ChaosSoakOnMariaDbTests(MariaDbServer server, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Soak_OnMariaDb_WithAnInstanceFrozenPastItsLeaseAndOneKilled_HoldsEveryInvariant()
    {
        server.RequireServer();
        await using var store = await MariaDbChaosStore.CreateAsync(server);

        // Bounded for CI's 90 s on two cores: every database call is real I/O the fake clock waits for.
        await ChaosRun.RunAsync(output, store, ChaosRun.Settings(freezeOne: true, bounded: new() { Vms = 12, Duration = TimeSpan.FromHours(2) }));
    }
}

/// <summary>The settings of a run (bounded, or the long mode with <c>REPLICATION_CHAOS=long</c>) and its assertions.</summary>
internal static class ChaosRun
{
    /// <summary>Gets the seed of a run: <c>REPLICATION_CHAOS_SEED</c>, or the default one.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("REPLICATION_CHAOS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20261201;

    /// <summary>Gets a value indicating whether the long mode was asked for (<c>REPLICATION_CHAOS=long</c>).</summary>
    public static bool IsLong => Environment.GetEnvironmentVariable("REPLICATION_CHAOS") == "long";

    public static ChaosSettings Settings(bool freezeOne, ChaosSettings bounded)
    {
        var seed = Seed;
        return IsLong
            ? new ChaosSettings { Seed = seed, Instances = 3, Vms = 100, Duration = TimeSpan.FromHours(60), RealTimeLimit = TimeSpan.FromHours(6), FreezeOne = freezeOne }
            : bounded with { Seed = seed };
    }

    public static async Task RunAsync(ITestOutputHelper output, IChaosStore store, ChaosSettings settings)
    {
        var report = await ChaosSoak.RunAsync(settings, store);

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty(report.ToString());
        report.Jobs.Should().BePositive("the soak must actually replicate");
        if (settings.FreezeOne)
        {
            report.LeaseLosses.Should().BePositive("the frozen instance must find at its thaw that its lease was taken over, or the fencing was not exercised");
        }
    }
}
