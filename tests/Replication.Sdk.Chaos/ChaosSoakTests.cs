using System.Globalization;
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
    public Task Soak_NoJobLostOrDuplicated_EveryVmOneOutcome_NothingLeftRunning() =>
        RunAsync(freezeOne: false);

    [Fact]
    public Task Soak_WithAnInstanceFrozenPastItsLeaseAndResumed_HoldsEveryInvariant() =>
        RunAsync(freezeOne: true);

    private async Task RunAsync(bool freezeOne)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("REPLICATION_CHAOS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20261201;
        var settings = Environment.GetEnvironmentVariable("REPLICATION_CHAOS") == "long"
            ? new ChaosSettings { Seed = seed, Instances = 3, Vms = 100, Duration = TimeSpan.FromHours(30), RealTimeLimit = TimeSpan.FromHours(6), FreezeOne = freezeOne }
            : new ChaosSettings { Seed = seed, FreezeOne = freezeOne };

        var report = await ChaosSoak.RunAsync(settings);

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty(report.ToString());
        report.Jobs.Should().BePositive("the soak must actually replicate");
        if (freezeOne)
        {
            report.LeaseLosses.Should().BePositive("the frozen instance must find at its thaw that its lease was taken over, or the fencing was not exercised");
        }
    }
}
