using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>Issue 13 item 7: the tracker and the active-job check judge a job by one liveness policy, VMA progress included.</summary>
public sealed class JobLivenessTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MultiHourInitialSync_StaticOmaRow_MovingVmaProgress_IsTrackedToTheEnd_NotStale()
    {
        // Threshold 1 h; the OMA row never moves for 3 h (1 min polls), the VMA streams throughout.
        var (outcome, vmaReads) = await TrackOneJobForThreeHoursAsync(vmaStreams: true);

        outcome.Kind.Should().Be(VmOutcomeKind.JobCompleted, "VMA progress is activity");
        (outcome.CompletedAt - outcome.StartedAt).Should().BeGreaterThan(TimeSpan.FromHours(2.9));
        vmaReads.Should().BeGreaterThan(150, "the tracker reads VMA progress whenever the OMA row shows nothing new");
    }

    [Fact]
    public async Task StaticOmaRow_AndNoVmaProgress_IsStaleAfterTheThreshold()
    {
        var (outcome, _) = await TrackOneJobForThreeHoursAsync(vmaStreams: false);

        outcome.Kind.Should().Be(VmOutcomeKind.JobStale);
        outcome.Reason.Should().Contain("neither its OMA row nor its VMA progress moved");
        (outcome.CompletedAt - outcome.StartedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromHours(1)).And.BeLessThan(TimeSpan.FromHours(1.1));
    }

    /// <summary>One VM whose job's OMA row stays <c>replicating</c> for 180 one-minute polls, then completes.</summary>
    private static async Task<(VmOutcome Outcome, long VmaReads)> TrackOneJobForThreeHoursAsync(bool vmaStreams)
    {
        await using var h = SchedulerHarness.Create(Start, options: MinutePolls);
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);
        h.Oma.AddJob("job-1", "g1-vm00", [.. Enumerable.Repeat("replicating", 3 * 60), "completed"]);
        h.Submitter.Script("g1-vm00", FakeSubmitter.With(SubmissionStatus.JobCreated, "job-1"));
        if (vmaStreams)
        {
            h.Vma.Streaming["job-1"] = true;
        }

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));
        return (execution.VmOutcomes.Single(), h.Vma.ProgressReads);
    }

    [Fact]
    public async Task OmaUnreachableLongerThanTheThreshold_IsUnknown_NeverStale_AndTheQuietClockRestartsAfterwards()
    {
        // The job is created at Start and never changes; the OMA cannot be read from 00:10 to 03:00 (threshold 1 h).
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.JobReadsUnreachableAt = now => now >= Start.AddMinutes(10) && now < Start.AddHours(3);
        var tracker = Tracker(h);
        h.Oma.AddJob("job-quiet", "vm", ["replicating"]);

        var (kind, reason) = await h.Clock.RunUntilAsync(tracker.TrackAsync("job-quiet", CancellationToken.None));

        kind.Should().Be(VmOutcomeKind.JobStale);
        reason.Should().Contain("without change");
        h.Clock.GetUtcNow().Should().BeOnOrAfter(Start.AddHours(4), "the 3 h without an answer were not 3 h without change: the quiet clock restarted at 03:00");
        h.Clock.GetUtcNow().Should().BeBefore(Start.AddHours(4.1));
    }

    [Fact]
    public async Task VmaUnreachable_WhenTheOmaRowAloneSaysStale_IsUnknown_NeverStale()
    {
        await using var h = SchedulerHarness.Create(Start);
        h.Vma.UnreachableAt = now => now < Start.AddHours(5);
        var tracker = Tracker(h);
        h.Oma.AddJob("job-quiet", "vm", ["replicating"]);

        var (kind, _) = await h.Clock.RunUntilAsync(tracker.TrackAsync("job-quiet", CancellationToken.None));

        kind.Should().Be(VmOutcomeKind.JobStale);
        h.Clock.GetUtcNow().Should().BeOnOrAfter(Start.AddHours(6), "stale only a threshold after the VMA answered again");
    }

    public enum Evidence
    {
        VmaStreaming,
        NothingMoves,
        VmaUnreachable,
        OmaUnreachable,
    }

    [Theory]
    [InlineData(Evidence.VmaStreaming, JobLiveness.Active, VmOutcomeKind.Skipped, SkipReason.ActiveJob)]
    [InlineData(Evidence.NothingMoves, JobLiveness.Stale, VmOutcomeKind.JobCompleted, null)] // the check lets it through: the create's 409 is the submitter's to classify
    [InlineData(Evidence.VmaUnreachable, JobLiveness.Unknown, VmOutcomeKind.Skipped, SkipReason.CheckFailed)]
    [InlineData(Evidence.OmaUnreachable, JobLiveness.Unknown, VmOutcomeKind.Skipped, SkipReason.CheckFailed)]
    public async Task ActiveJobCheck_AndTracker_GiveTheSameVerdictForTheSameJob(Evidence evidence, JobLiveness expected, VmOutcomeKind checkOutcome, SkipReason? skip)
    {
        // A job from an earlier run: its OMA row unchanged for 2 h (threshold 1 h).
        await using var h = SchedulerHarness.Create(Start);
        h.Oma.AddJob("job-old", "g1-vm00", ["replicating"]);
        h.Oma.SetContext("g1-vm00", "job-old");
        h.Clock.Advance(TimeSpan.FromHours(2));
        var now = h.Clock.GetUtcNow();
        switch (evidence)
        {
            case Evidence.VmaStreaming:
                h.Vma.Streaming["job-old"] = true;
                break;
            case Evidence.VmaUnreachable:
                h.Vma.UnreachableAt = t => t < now.AddMinutes(5);
                break;
            case Evidence.OmaUnreachable:
                h.Oma.JobReadsUnreachableAt = t => t < now.AddMinutes(5);
                break;
        }

        var policy = h.Services.GetRequiredService<IJobLivenessPolicy>();
        var oneOff = await policy.JudgeAsync("job-old");
        var followed = await policy.JudgeAsync("job-old", new JobActivityHistory());
        h.Schedule();
        h.Group("g1");
        h.Vms("g1", 1);
        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        var execution = await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        oneOff.Liveness.Should().Be(expected);
        followed.Liveness.Should().Be(expected, "the tracker's first poll sees what a one-off judgement sees");
        var outcome = execution.VmOutcomes.Single();
        outcome.Kind.Should().Be(checkOutcome);
        outcome.SkipReason.Should().Be(skip);
        if (expected == JobLiveness.Unknown)
        {
            outcome.Reason.Should().Contain("unknown");
            execution.Error.Should().Contain("could not be reached");
        }
    }

    private static void MinutePolls(SchedulerOptions o) => (o.JobPollInterval, o.JobPollMaxInterval) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    private static JobTracker Tracker(SchedulerHarness h) =>
        new(h.Services.GetRequiredService<IJobLivenessPolicy>(), new SchedulerOptions { JobPollInterval = TimeSpan.FromSeconds(10), JobPollMaxInterval = TimeSpan.FromMinutes(1) },
            h.Clock, h.Services.GetRequiredService<SchedulerTelemetry>());
}
