using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>
/// Issue 13 item 7 on the simulator: an OMA build without the progress poller (the job row never moves) and a 5 h initial
/// sync. VMA progress keeps the job alive for the follower and for the 409 classifier alike; a hung transfer is stale.
/// </summary>
public sealed class JobLivenessOnTheSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FiveHourInitialSync_WithAStaticOmaRow_IsNeverStale_WhileAHungTransferIsStaleAfterTheThreshold_ForFollowerAndClassifierAlike()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 2, TimeProvider = clock, JobDuration = TimeSpan.FromHours(5), OmaProgressUpdates = false });
        sim.Options.StalledVms.Add("vm002");
        await using var services = Stack.Build(sim, s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?> { ["Replication:Jobs:StaleJobThreshold"] = "02:00:00" });
        var submitter = services.GetRequiredService<IReplicationJobSubmitter>();
        var policy = services.GetRequiredService<IJobLivenessPolicy>();
        var oma = services.GetRequiredService<IOmaClient>();
        var syncing = (await submitter.SubmitAsync(Target("vm001"))).JobId!;
        var hung = (await submitter.SubmitAsync(Target("vm002"))).JobId!;
        var (syncHistory, hungHistory) = (new JobActivityHistory(), new JobActivityHistory());
        var syncVerdicts = new List<(TimeSpan At, JobLiveness Liveness)>();
        var hungVerdicts = new List<(TimeSpan At, JobLiveness Liveness)>();
        SubmissionResult? syncConflict = null, hungConflict = null;
        ReplicationJob? rowAt3h = null;

        for (var at = TimeSpan.Zero; at <= TimeSpan.FromHours(5.5); at += TimeSpan.FromMinutes(10))
        {
            clock.SetUtcNow(Start + at);
            syncVerdicts.Add((at, (await policy.JudgeAsync(syncing, syncHistory)).Liveness));
            hungVerdicts.Add((at, (await policy.JudgeAsync(hung, hungHistory)).Liveness));
            if (at == TimeSpan.FromHours(3))
            {
                rowAt3h = await oma.GetReplicationJobAsync(syncing);
                syncConflict = await submitter.SubmitAsync(Target("vm001"));
                hungConflict = await submitter.SubmitAsync(Target("vm002"));
            }
        }

        rowAt3h!.ProgressPercent.Should().Be(0, "this OMA build does not copy VMA progress into the job row");
        rowAt3h.UpdatedAt.Should().BeBefore(Start.AddMinutes(1));
        syncVerdicts.Where(v => v.At < TimeSpan.FromHours(5)).Should().OnlyContain(v => v.Liveness == JobLiveness.Active, "VMA progress is activity");
        syncVerdicts.Last().Liveness.Should().Be(JobLiveness.Ended);
        hungVerdicts.Where(v => v.At < TimeSpan.FromHours(2)).Should().OnlyContain(v => v.Liveness == JobLiveness.Active);
        hungVerdicts.Where(v => v.At >= TimeSpan.FromHours(2)).Should().OnlyContain(v => v.Liveness == JobLiveness.Stale, "neither the row nor the VMA moved for 2 h");

        syncConflict!.Status.Should().Be(SubmissionStatus.ActiveJobExists, "the 409 classifier sees what the follower sees");
        syncConflict.JobId.Should().Be(syncing);
        hungConflict!.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        hungConflict.JobId.Should().Be(hung);
        sim.Jobs.Should().HaveCount(2, "a 409 creates nothing");
    }

    private static ReplicationTarget Target(string vm) => new() { VmName = vm, VCenterHost = "vcenter.example.local", Datacenter = "DC1" };
}
