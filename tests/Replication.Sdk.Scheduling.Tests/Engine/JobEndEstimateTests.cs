using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// The tracker's polls back off, but never sleep past the job's estimated end: a job is seen ending within about one
/// <see cref="SchedulerOptions.JobPollInterval"/> of its end, not up to <see cref="SchedulerOptions.JobPollMaxInterval"/>
/// later, and a job whose progress says nothing is polled exactly as before.
/// </summary>
public sealed class JobEndEstimateTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 30, 0, 59, 58, 250, TimeSpan.Zero);

    [Theory]
    [InlineData(37.3)]        // about the default back-off's cap (2 min) in a 2-hour job: detection lag was up to 2 min
    [InlineData(7_201.9)]
    [InlineData(601.25)]
    public async Task ProgressMovingLinearly_EndIsSeenWithinOnePollInterval_WithFewPolls(double seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        var (seenAt, polls) = await TrackAsync(new LinearJob(Start, duration));

        // Whole-percent progress hides up to one step (1 % of the job) from the estimate.
        var step = duration / 100;
        var lag = seenAt - (Start + duration);
        lag.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo((step > Options.JobPollInterval ? step : Options.JobPollInterval) + TimeSpan.FromSeconds(1),
            "the last sleep ended at the estimated end, then at most one poll interval or one progress step");
        var (backoffPolls, backoffLag) = BackoffOnly(duration);
        lag.Should().BeLessThanOrEqualTo(backoffLag);
        polls.Should().BeLessThanOrEqualTo(backoffPolls + 4, "the estimate adds at most a few polls near the end");
    }

    [Fact]
    public async Task NoProgressReported_PollsExactlyOnTheBackOff()
    {
        var job = new LinearJob(Start, TimeSpan.FromMinutes(20)) { ReportsProgress = false };

        var (seenAt, polls) = await TrackAsync(job);

        // 0, 15, 45, 105, 225, then every 120 s: 1,200 s is reached at 1,305 s.
        job.PolledAt.Select(t => (t - Start).TotalSeconds).Take(6).Should().Equal(0, 15, 45, 105, 225, 345);
        (seenAt - Start).Should().Be(TimeSpan.FromSeconds(1_305));
        polls.Should().Be(BackoffOnly(TimeSpan.FromMinutes(20)).Polls);
    }

    [Fact]
    public async Task OmaClockAhead_ThenProgressRestarts_NeverSleepsUnderTheInterval_AndStillEnds()
    {
        // The OMA's created_at is 10 minutes in the SDK's future, and at 50 % the transfer restarts from 0 %.
        var job = new LinearJob(Start, TimeSpan.FromMinutes(30)) { CreatedAtSkew = TimeSpan.FromMinutes(10), RestartAtPercent = 50 };

        var (seenAt, _) = await TrackAsync(job);

        job.PolledAt.Zip(job.PolledAt.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= Options.JobPollInterval);
        seenAt.Should().BeAfter(job.End);
    }

    [Fact]
    public void VmaEstimate_IsTakenWhenEarlier_AndItsZeroOrCapMeansNothing()
    {
        var estimate = new JobEndEstimate();
        var now = Start.AddMinutes(10);
        static JobLivenessVerdict Verdict(double percent, long eta) => new()
        {
            JobId = "j", Liveness = JobLiveness.Active, Reason = "",
            Job = new ReplicationJob { JobId = "j", Status = new ReplicationJobStatus("replicating"), ProgressPercent = percent, CreatedAt = Start },
            VmaProgress = new VmaProgress { JobId = "j", Timing = new VmaTiming { EtaSeconds = eta } },
        };

        estimate.Observe(Verdict(10, 0), now).Should().Be(TimeSpan.FromMinutes(90), "10 % in 10 minutes since creation");
        estimate.Observe(Verdict(20, 300), now.AddMinutes(10)).Should().Be(TimeSpan.FromMinutes(5), "the VMA says 300 s, sooner than the rate's 80 min");
        estimate.Observe(Verdict(30, 86_401), now.AddMinutes(20)).Should().Be(TimeSpan.FromMinutes(70), "an estimate past the VMA's cap is none");

        JobEndEstimate.NextDelay(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15)).Should().Be(TimeSpan.FromSeconds(15));
        JobEndEstimate.NextDelay(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(15)).Should().Be(TimeSpan.FromSeconds(40));
        JobEndEstimate.NextDelay(TimeSpan.FromMinutes(2), TimeSpan.FromHours(1), TimeSpan.FromSeconds(15)).Should().Be(TimeSpan.FromMinutes(2));
        JobEndEstimate.NextDelay(TimeSpan.FromMinutes(2), null, TimeSpan.FromSeconds(15)).Should().Be(TimeSpan.FromMinutes(2));
    }

    private static SchedulerOptions Options { get; } = new() { JobPollInterval = TimeSpan.FromSeconds(15), JobPollMaxInterval = TimeSpan.FromMinutes(2) };

    /// <summary>Polls of the back-off alone until the first poll at or after the end (polls at 0, 15, 45, 105, 225, then every 120 s), and how late that poll is.</summary>
    private static (int Polls, TimeSpan Lag) BackoffOnly(TimeSpan duration)
    {
        var (at, delay, polls) = (TimeSpan.Zero, Options.JobPollInterval, 1);
        while (at < duration)
        {
            at += delay;
            delay = delay * 2 < Options.JobPollMaxInterval ? delay * 2 : Options.JobPollMaxInterval;
            polls++;
        }

        return (polls, at - duration);
    }

    private static async Task<(DateTimeOffset SeenAt, int Polls)> TrackAsync(LinearJob job)
    {
        var clock = new TestClock(Start);
        job.Clock = clock;
        using var telemetry = new SchedulerTelemetry(null, () => 0);
        var tracker = new JobTracker(job, Options, clock, telemetry);

        var (kind, _) = await clock.RunUntilAsync(tracker.TrackAsync("job-1", CancellationToken.None));

        kind.Should().Be(VmOutcomeKind.JobCompleted);
        return (clock.GetUtcNow(), job.PolledAt.Count);
    }

    /// <summary>A job whose OMA progress moves linearly from <paramref name="createdAt"/> to its end (whole percent steps, as the appliance reports).</summary>
    private sealed class LinearJob(DateTimeOffset createdAt, TimeSpan duration) : IJobLivenessPolicy
    {
        public TestClock Clock { get; set; } = null!;

        public bool ReportsProgress { get; init; } = true;

        public TimeSpan CreatedAtSkew { get; init; }

        public double? RestartAtPercent { get; init; }

        public List<DateTimeOffset> PolledAt { get; } = [];

        public DateTimeOffset End => RestartAtPercent is { } r ? createdAt + (duration * (r / 100)) + duration : createdAt + duration;

        public TimeSpan StaleThreshold => TimeSpan.FromHours(6);

        public Task<JobLivenessVerdict> JudgeAsync(string jobId, JobActivityHistory? history = null, CancellationToken cancellationToken = default)
        {
            var now = Clock.GetUtcNow();
            PolledAt.Add(now);
            var status = new ReplicationJobStatus(now >= End ? "completed" : "replicating");
            var elapsed = now - createdAt;
            if (RestartAtPercent is { } restart && elapsed >= duration * (restart / 100))
            {
                elapsed -= duration * (restart / 100);
            }

            var percent = ReportsProgress ? Math.Floor(Math.Clamp(elapsed / duration, 0, 1) * 100) : 0;
            var job = new ReplicationJob { JobId = jobId, Status = status, ProgressPercent = percent, CreatedAt = createdAt + CreatedAtSkew, UpdatedAt = now };
            return Task.FromResult(new JobLivenessVerdict
            {
                JobId = jobId, Liveness = status.IsTerminal ? JobLiveness.Ended : JobLiveness.Active, Job = job, Reason = "scripted",
            });
        }
    }
}
