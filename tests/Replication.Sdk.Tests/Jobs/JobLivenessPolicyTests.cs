using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Jobs;

/// <summary>Issue 13 item 7: one liveness policy for the 409 classifier (and the scheduler), VMA progress counting as activity.</summary>
public sealed class JobLivenessPolicyTests : IDisposable
{
    private const string Context = $"{SdkTestHost.Oma}/vm-contexts/web01";
    private const string Create = $"{SdkTestHost.Oma}/replications";
    private const string VmId = "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e";

    // Fixtures.Job was last updated at 16:20Z; seven hours on, its OMA row alone is far past the 2 h threshold.
    private static readonly DateTimeOffset SevenHoursOn = SdkTestHost.Start.AddHours(7);

    private static readonly ReplicationTarget Web01 = new() { VmName = "web01", VmwareVmId = VmId, VCenterHost = "vcenter.example.local", Datacenter = "DC1" };

    private readonly SdkTestHost _host = SdkTestHost.Create();

    public JobLivenessPolicyTests()
    {
        _host.VmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Vma}/discover").Respond("application/json", Inventories.Json(Inventories.Web01Family()));
    }

    public void Dispose() => _host.Dispose();

    private IJobLivenessPolicy Policy => _host.Services.GetRequiredService<IJobLivenessPolicy>();

    private static string Progress(string jobId, long bytes, DateTimeOffset? lastUpdate) => $$"""
        {"job_id":"{{jobId}}","status":"Streaming","sync_type":"full","phase":"Transfer","percentage":40,"current_operation":"Transfer",
         "bytes_transferred":{{bytes}},"total_bytes":107374182400,"throughput":{"current_mbps":80,"average_mbps":75,"peak_mbps":120},
         "timing":{{(lastUpdate is { } at ? $$"""{"start_time":"2025-09-19T16:19:30Z","last_update":"{{at:O}}","elapsed_ms":1,"eta_seconds":600}""" : "null")}},
         "phases":[],"errors":[],"last_error":null}
        """;

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private void ConflictOn(string jobId)
    {
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", $$"""{"context":{{Fixtures.Context("web01", jobId)}},"job_history":[]}""");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Conflict, "application/json",
            $$"""{"error":"VM has active replication job","details":"VM 'web01' ({{VmId}}) already has active job: {{jobId}}","timestamp":"2025-09-19T17:19:28+01:00"}""");
    }

    [Fact]
    public async Task Conflict_OmaRowStaticPastTheThreshold_ButVmaProgressMoving_IsActiveJobExists_NotStale()
    {
        _host.Time.Advance(SevenHoursOn - SdkTestHost.Start);
        ConflictOn("job-sync");
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-sync").Respond("application/json", Fixtures.Job("job-sync", "replicating"));
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-sync").Respond("application/json", Progress("job-sync", 40L << 30, SevenHoursOn.AddMinutes(-3)));

        var result = await _host.Submitter.SubmitAsync(Web01);
        var verdict = await Policy.JudgeAsync("job-sync");

        result.Status.Should().Be(SubmissionStatus.ActiveJobExists, "a multi-hour initial sync streams on the VMA while newer OMA builds leave the job row alone");
        result.Reason.Should().Contain("VMA transfer progress");
        verdict.Liveness.Should().Be(JobLiveness.Active, "the classifier and a direct judgement agree");
        verdict.QuietFor.Should().Be(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Conflict_OmaRowAndVmaProgressBothStatic_IsBlockedByStaleJob()
    {
        _host.Time.Advance(SevenHoursOn - SdkTestHost.Start);
        ConflictOn("job-dead");
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-dead").Respond("application/json", Fixtures.Job("job-dead", "replicating"));
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-dead").Respond("application/json", Progress("job-dead", 1L << 30, SdkTestHost.Start.AddHours(2)));

        var result = await _host.Submitter.SubmitAsync(Web01);
        var verdict = await Policy.JudgeAsync("job-dead");

        result.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        result.Reason.Should().Contain("neither its OMA row nor its VMA progress moved").And.Contain("operator");
        verdict.Liveness.Should().Be(JobLiveness.Stale);
        verdict.QuietFor.Should().Be(TimeSpan.FromHours(5), "the VMA's last update, two hours in, is the latest activity");
    }

    [Fact]
    public async Task Conflict_VmaProgressUnreadable_WhenTheOmaRowAloneSaysStale_IsUnknown_ATransientFailure_NeverBlocked()
    {
        _host.Time.Advance(SevenHoursOn - SdkTestHost.Start);
        ConflictOn("job-x");
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-x").Respond("application/json", Fixtures.Job("job-x", "replicating"));
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-x").Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "busy\n");

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed, "an unknown liveness is never a stale job for an operator to clean up");
        result.IsTransient.Should().BeTrue();
        result.Reason.Should().Contain("VMA's progress could not be read").And.Contain("whether it is live is unknown");
        result.JobId.Should().BeNull("the job is not this submission's");
    }

    [Fact]
    public async Task Conflict_OmaJobUnreadable_IsUnknown_ATransientFailure()
    {
        ConflictOn("job-x");
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-x").Respond(HttpStatusCode.BadGateway, "text/plain", "bad gateway");

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue();
        result.Reason.Should().Contain("could not be read").And.Contain("whether it is live is unknown");
    }

    [Fact]
    public async Task FreshOmaRow_IsActive_WithoutReadingTheVma()
    {
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-1").Respond("application/json", Fixtures.Job("job-1", "replicating"));
        var progress = _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-1").Respond("application/json", Progress("job-1", 1, null));
        _host.Time.Advance(TimeSpan.FromHours(1));

        var verdict = await Policy.JudgeAsync("job-1");

        verdict.Liveness.Should().Be(JobLiveness.Active);
        verdict.Reason.Should().Contain("OMA job row");
        _host.VmaHttp.GetMatchCount(progress).Should().Be(0, "a one-off judgement reads the VMA only when the OMA row alone would decide 'stale'");
    }

    [Theory]
    [InlineData("completed", JobLiveness.Ended)]
    [InlineData("failed", JobLiveness.Ended)]
    [InlineData("some_future_status", JobLiveness.Stale)] // unknown statuses are non-terminal; past the threshold with no VMA evidence
    public async Task Status_DecidesFirst(string status, JobLiveness expected)
    {
        _host.Time.Advance(SevenHoursOn - SdkTestHost.Start);
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-1").Respond("application/json", Fixtures.Job("job-1", status));
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-1").Respond(HttpStatusCode.NotFound, "text/plain", "job not found\n");

        (await Policy.JudgeAsync("job-1")).Liveness.Should().Be(expected);
    }

    [Fact]
    public async Task MissingJob_IsMissing()
    {
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-gone").Respond(HttpStatusCode.NotFound, "application/json",
            """{"error":"Job not found","details":"Migration job with ID job-gone does not exist","timestamp":"2025-09-19T17:19:28+01:00"}""");

        (await Policy.JudgeAsync("job-gone")).Liveness.Should().Be(JobLiveness.Missing);
    }

    [Fact]
    public async Task Follower_SeesVmaChangesBetweenReads_EvenWithoutTimestamps()
    {
        // The OMA row (16:20Z) is 1 h 50 min old at the first read; the VMA reports no timing at all.
        _host.Time.Advance(TimeSpan.FromMinutes(20 + 110));
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-1").Respond("application/json", Fixtures.Job("job-1", "replicating"));
        var bytes = new Queue<long>([1, 2, 2, 2]);
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-1").Respond(_ => Json(Progress("job-1", bytes.Dequeue(), null)));
        var history = new JobActivityHistory();

        var first = await Policy.JudgeAsync("job-1", history);
        _host.Time.Advance(TimeSpan.FromMinutes(20));
        var moved = await Policy.JudgeAsync("job-1", history);
        _host.Time.Advance(TimeSpan.FromMinutes(119));
        var stillWithin = await Policy.JudgeAsync("job-1", history);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var stale = await Policy.JudgeAsync("job-1", history);

        first.Liveness.Should().Be(JobLiveness.Active);
        moved.Liveness.Should().Be(JobLiveness.Active, "the VMA's bytes moved between two reads");
        moved.Reason.Should().Contain("VMA transfer progress");
        stillWithin.Liveness.Should().Be(JobLiveness.Active);
        stale.Liveness.Should().Be(JobLiveness.Stale, "2 h since the last change seen");
        stale.QuietFor.Should().Be(TimeSpan.FromHours(2));
        bytes.Should().BeEmpty("the follower read the VMA on every poll where the OMA row showed nothing new");
    }

    [Fact]
    public async Task Follower_AfterAnUnreachableOma_RestartsTheQuietClock()
    {
        var history = new JobActivityHistory();
        var omaDown = true;
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-1").Respond(_ => omaDown
            ? new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("bad gateway") }
            : Json(Fixtures.Job("job-1", "replicating")));
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-1").Respond(HttpStatusCode.NotFound, "text/plain", "job not found\n");
        _host.Time.Advance(SevenHoursOn - SdkTestHost.Start);

        var unknown = await Policy.JudgeAsync("job-1", history);
        omaDown = false;
        var back = await Policy.JudgeAsync("job-1", history);
        _host.Time.Advance(TimeSpan.FromHours(2));
        var stale = await Policy.JudgeAsync("job-1", history);

        unknown.Liveness.Should().Be(JobLiveness.Unknown);
        unknown.Error.Should().NotBeNull();
        back.Liveness.Should().Be(JobLiveness.Active, "the hours without an answer are not hours without change");
        stale.Liveness.Should().Be(JobLiveness.Stale);
        (await Policy.JudgeAsync("job-1")).Liveness.Should().Be(JobLiveness.Stale, "a one-off judgement has no outage to discount");
    }
}
