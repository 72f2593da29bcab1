using System.Net;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Jobs;

public sealed class ReplicationJobSubmitterTests : IDisposable
{
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private const string Context = $"{SdkTestHost.Oma}/vm-contexts/web01";
    private const string Create = $"{SdkTestHost.Oma}/replications";
    private const string VmId = "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e";

    // A distinctive request timeout, so the clock driver can tell poll delays from request timeouts.
    private readonly SdkTestHost _host = SdkTestHost.Create(configuration: new Dictionary<string, string?> { ["Replication:Oma:RequestTimeout"] = "00:09:00" });

    private static readonly ReplicationTarget Web01 = new() { VmName = "web01", VmwareVmId = VmId, VCenterHost = "vcenter.example.local", Datacenter = "DC1" };

    public ReplicationJobSubmitterTests()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", Inventories.Json(Inventories.Web01Family()));
    }

    public void Dispose() => _host.Dispose();

    private static string ContextBody(string? currentJobId, int totalJobsRun = 3, string? lastJobAt = null, string[]? history = null) =>
        $$"""{"context":{{Fixtures.Context("web01", currentJobId)
            .Replace("\"total_jobs_run\": 3", $"\"total_jobs_run\": {totalJobsRun}", StringComparison.Ordinal)
            .Replace("\"last_job_at\": null", lastJobAt is null ? "\"last_job_at\": null" : $"\"last_job_at\": \"{lastJobAt}\"", StringComparison.Ordinal)}},"job_history":[{{string.Join(',', history ?? [])}}]}""";

    private void ExpectNewJobOnContext(string status)
    {
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-new"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-new").Respond("application/json", Fixtures.Job("job-new", status));
    }

    private async Task<SubmissionResult> SubmitThroughReconciliationAsync()
    {
        var submit = _host.Submitter.SubmitAsync(Web01);
        await _host.Time.DriveAsync(submit, t => t < TimeSpan.FromMinutes(1));
        return await submit;
    }

    private static string JobRow(string id, string status, string createdAt) =>
        $$"""{"id":"{{id}}","status":"{{status}}","replication_type":"initial","progress_percent":100,"source_vm_id":"{{VmId}}","vm_context_id":"ctx-web01-20250919-171928","created_at":"{{createdAt}}","updated_at":"{{createdAt}}"}""";

    // The OMA's unified job view: job_id and started_at, no VM id (the context id of the route scopes it).
    private static string RecentJobItem(string id, string status, string startedAt) =>
        $$"""{"job_id":"{{id}}","job_type":"replication","status":"{{status}}","progress":100,"started_at":"{{startedAt}}","completed_at":"{{startedAt}}","display_name":"web01","data_source":"replication_jobs","duration_seconds":0}""";

    private void Baseline(string? currentJobId = "job-old") =>
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody(currentJobId));

    private static string Conflict(string jobId) =>
        $$"""{"error":"VM has active replication job","details":"VM 'web01' ({{VmId}}) already has active job: {{jobId}}","timestamp":"2025-09-19T17:19:28+01:00"}""";

    [Fact]
    public async Task Created_ReturnsJobIdAndSendsTheBuiltRequest()
    {
        Baseline();
        _host.OmaHttp.Expect(HttpMethod.Post, Create).WithPartialContent("\"cpus\":4").WithPartialContent("\"ossea_config_id\":7")
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.JobCreated);
        result.IsSuccess.Should().BeTrue();
        result.JobId.Should().Be("job-20250919-171928.123-a1b2c3");
        result.Plan!.Vm.Name.Should().Be("web01");
        result.RequestStartedAt.Should().Be(SdkTestHost.Start);
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task ContextOnly_ReturnsAddedToManagement()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond(HttpStatusCode.NotFound, "application/json", """{"error":"VM context not found","timestamp":"2025-09-19T16:19:28Z"}""");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).WithPartialContent("\"start_replication\":false").Respond(HttpStatusCode.Created, "application/json", Fixtures.VmAdded);

        var result = await _host.Submitter.SubmitAsync(Web01 with { Settings = new ReplicationJobSettings { StartReplication = false } });

        result.Status.Should().Be(SubmissionStatus.AddedToManagement);
        result.ContextId.Should().Be("ctx-web01-20250919-171928");
    }

    [Fact]
    public async Task Conflict_WithLiveJob_IsActiveJobExists()
    {
        Baseline("job-live");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Conflict, "application/json", Conflict("job-live"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-live").Respond("application/json", Fixtures.Job("job-live", "replicating"));

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.ActiveJobExists);
        result.JobId.Should().Be("job-live");
        result.ExistingJobStatus.Should().Be(ReplicationJobStatus.Replicating);
        result.IsSuccess.Should().BeFalse();
        result.RequestStartedAt.Should().Be(SdkTestHost.Start, "a create was sent");
    }

    [Theory]
    [InlineData("failed", "ended as 'failed'")]
    [InlineData("completed", "ended as 'completed'")]
    [InlineData("cancelled", "ended as 'cancelled'")]
    public async Task Conflict_WithTerminalJob_IsBlockedByStaleJob(string status, string reason)
    {
        Baseline("job-dead");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Conflict, "application/json", Conflict("job-dead"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-dead").Respond("application/json", Fixtures.Job("job-dead", status));

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        result.JobId.Should().Be("job-dead");
        result.Reason.Should().Contain(reason).And.Contain("operator");
    }

    [Fact]
    public async Task Conflict_WithMissingJob_IsBlockedByStaleJob()
    {
        Baseline("job-gone");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Conflict, "application/json", Conflict("job-gone"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-gone").Respond(HttpStatusCode.NotFound, "application/json",
            """{"error":"Job not found","details":"Migration job with ID job-gone does not exist","timestamp":"2025-09-19T17:19:28+01:00"}""");

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        result.Reason.Should().Contain("no longer exists");
    }

    [Fact]
    public async Task Conflict_WithJobUnchangedPastTheThreshold_IsBlockedByStaleJob()
    {
        _host.Time.Advance(TimeSpan.FromHours(7)); // the job was last updated at 16:20Z; it is now 23:00Z
        Baseline("job-stuck");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Conflict, "application/json", Conflict("job-stuck"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-stuck").Respond("application/json", Fixtures.Job("job-stuck", "provisioning"));
        var progress = _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-stuck").Respond(HttpStatusCode.NotFound, "text/plain", "job not found\n");

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.BlockedByStaleJob);
        result.ExistingJobStatus.Should().Be(ReplicationJobStatus.Provisioning);
        result.Reason.Should().Contain("without change");
        _host.VmaHttp.GetMatchCount(progress).Should().Be(1, "the VMA, which does not know the job, has no evidence either way");
    }

    [Theory]
    [InlineData(400, """{"error":"Cannot start initial replication - CloudStack prerequisites not met","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""", false)]
    [InlineData(500, """{"error":"Failed to check VM status","details":"db down","timestamp":"2025-09-19T17:19:28+01:00"}""", true)]
    [InlineData(429, "slow down", true)]
    public async Task ErrorAnswer_IsFailedWithTransientFlag(int status, string body, bool transient)
    {
        Baseline();
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond((HttpStatusCode)status, "application/json", body);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().Be(transient);
        result.Error.Should().BeAssignableTo<OmaApiException>();
        result.RequestStartedAt.Should().Be(SdkTestHost.Start, "a create was sent");
        _host.OmaHttp.GetMatchCount(create).Should().Be(1);
    }

    [Fact]
    public async Task WorkflowFailedAfterTheJobRowExisted_NamesTheJobThatBlocksTheVm()
    {
        Baseline("job-old");
        var create = _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.InternalServerError, "application/json",
            """{"error":"Failed to start migration workflow","details":"source VM has no disks to migrate","timestamp":"2025-09-19T17:19:28+01:00"}""");
        ExpectNewJobOnContext("initializing");

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeFalse();
        result.JobId.Should().Be("job-new");
        result.Reason.Should().Contain("created job job-new").And.Contain("operator");
        result.RequestStartedAt.Should().Be(SdkTestHost.Start);
        _host.OmaHttp.GetMatchCount(create).Should().Be(1);
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task WorkflowFailedAfterTheJobRow_WhileTheOmaCannotBeRead_LooksAgain_AndNamesTheJob()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.InternalServerError, "application/json",
            """{"error":"Failed to start migration workflow","details":"source VM has no disks to migrate","timestamp":"2025-09-19T17:19:28+01:00"}""");
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond(HttpStatusCode.BadRequest, "application/json", """{"error":"bad request","timestamp":"2025-09-19T17:19:28+01:00"}""");
        ExpectNewJobOnContext("initializing");

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.JobId.Should().Be("job-new", "the job the failed create left is found at the second look");
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task WorkflowFailedAfterTheJobRow_AndTheOmaNeverReadable_IsOutcomeUnknown_NotNothingCreated()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.InternalServerError, "application/json",
            """{"error":"Failed to start migration workflow","details":"source VM has no disks to migrate","timestamp":"2025-09-19T17:19:28+01:00"}""");
        for (var i = 0; i < ReplicationJobSubmitter.AfterJobRowProbes; i++)
        {
            _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond(HttpStatusCode.BadRequest, "application/json", """{"error":"bad request","timestamp":"2025-09-19T17:19:28+01:00"}""");
        }

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.OutcomeUnknown);
        result.Reason.Should().Contain("may have been made").And.Contain("do not resend blindly");
        result.RequestStartedAt.Should().Be(SdkTestHost.Start);
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task WorkflowFailedBeforeAnyJobRow_IsFailedWithoutJob()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.InternalServerError, "application/json",
            """{"error":"Failed to start migration workflow","details":"volume quota","timestamp":"2025-09-19T17:19:28+01:00"}""");
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-old"));

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeFalse();
        result.JobId.Should().BeNull();
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task GatewayErrorOnCreate_IsReconciledAndTheJobAdopted(int status)
    {
        Baseline("job-old");
        var create = _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond((HttpStatusCode)status, "text/plain", "upstream timed out");
        ExpectNewJobOnContext("provisioning");

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be("job-new");
        _host.OmaHttp.GetMatchCount(create).Should().Be(1);
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task GatewayErrorOnCreate_NothingAppeared_IsNotCreatedRatherThanFailed()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "upstream down");
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-old"));

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.NotCreated);
        result.RequestStartedAt.Should().Be(SdkTestHost.Start);
    }

    [Theory]
    [InlineData("""{"job_id":"job-new","status":"repl""")]
    [InlineData("""{"message":"ok"}""")]
    [InlineData("""<html>proxy</html>""")]
    public async Task CreatedWithUnreadableBody_IsReconciledAndTheJobAdopted(string body)
    {
        Baseline("job-old");
        var create = _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", body);
        ExpectNewJobOnContext("replicating");

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be("job-new");
        result.RequestStartedAt.Should().Be(SdkTestHost.Start);
        _host.OmaHttp.GetMatchCount(create).Should().Be(1);
    }

    // The job the create made finished before the first poll: the OMA already set current_job_id back to null.
    [Fact]
    public async Task DroppedResponse_JobAlreadyFinished_IsAdoptedFromTheContextHistory()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json",
            ContextBody(null, totalJobsRun: 4, lastJobAt: "2025-09-19T16:00:01Z", history: [JobRow("job-new", "completed", "2025-09-19T16:00:01Z"), JobRow("job-old", "completed", "2025-09-18T02:00:00Z")]));

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be("job-new");
        result.ExistingJobStatus.Should().Be(ReplicationJobStatus.Completed);
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DroppedResponse_JobAlreadyFinishedAndNotInTheHistory_IsAdoptedFromRecentJobs()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody(null, totalJobsRun: 4, lastJobAt: "2025-09-19T16:00:01Z"));
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/ctx-web01-20250919-171928/recent-jobs").Respond("application/json",
            $$"""{"context_id":"ctx-web01-20250919-171928","jobs":[{{RecentJobItem("job-new", "failed", "2025-09-19T16:00:01.250Z")}},{{RecentJobItem("job-old", "completed", "2025-09-18T02:00:00.000Z")}}],"count":2}""");

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be("job-new");
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CreateRefusedWithAnExpiredSessionAfterEveryRenewal_IsATransientFailure_NotCreateFailed()
    {
        using var host = SdkTestHost.Create(configuration: new Dictionary<string, string?>
        {
            ["Replication:Oma:Authentication:Mode"] = "Login",
            ["Replication:Oma:Authentication:ApplianceId"] = "oma-appliance-1",
            ["Replication:Oma:Authentication:LoginToken"] = SdkTestHost.LoginToken,
        });
        host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        var logins = host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/auth/login").Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10), "constant-session"));
        host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-old"));
        // The OMA's auth middleware answers before any handler runs: the create never got as far as making a job row.
        var create = host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Unauthorized, "application/json",
            """{"error":"Invalid or expired token","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""");

        var result = await host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue("nothing was created, so the scheduler's retry may send it again");
        result.Error.Should().BeOfType<OmaAuthenticationException>();
        result.RequestStartedAt.Should().NotBeNull("the create was sent");
        host.OmaHttp.GetMatchCount(create).Should().Be(9, "the create and one replay per renewal, bounded (8 renewals)");
        host.OmaHttp.GetMatchCount(logins).Should().Be(9);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[ITEM]")]
    public async Task DroppedResponse_RecentJobsHoldNoJobStartedSinceTheRequest_IsNotCreated(string jobs)
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        // The counters moved, but recent-jobs shows no job (null, as the OMA sends it) or only one that started before the
        // request less the 2-minute skew: nothing to adopt.
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", ContextBody(null, totalJobsRun: 4, lastJobAt: "2025-09-19T16:00:01Z"));
        var recent = _host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/ctx-web01-20250919-171928/recent-jobs").Respond("application/json",
            $$"""{"context_id":"ctx-web01-20250919-171928","jobs":{{jobs.Replace("ITEM", RecentJobItem("job-stale", "failed", "2025-09-19T15:00:00.000Z"), StringComparison.Ordinal)}},"count":0}""");

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.NotCreated);
        _host.OmaHttp.GetMatchCount(recent).Should().BeGreaterThan(0, "the moved counters sent the probe to recent-jobs");
    }

    [Fact]
    public async Task DroppedResponse_VmWasUnmanagedAndItsFirstJobAlreadyFinished_IsAdopted()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond(HttpStatusCode.NotFound, "application/json", """{"error":"VM context not found","timestamp":"2025-09-19T16:19:28Z"}""");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json",
            ContextBody(null, totalJobsRun: 1, lastJobAt: "2025-09-19T16:00:01Z", history: [JobRow("job-first", "completed", "2025-09-19T16:00:01Z")]));

        (await SubmitThroughReconciliationAsync()).JobId.Should().Be("job-first");
    }

    [Fact]
    public async Task DroppedResponse_NewJobOnContext_IsAdoptedAfterConfirmation()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-old"));   // not yet
        _host.OmaHttp.Expect(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-new"));   // appears
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Create}/job-new").Respond("application/json", Fixtures.Job("job-new", "provisioning"));

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.JobAdopted);
        result.JobId.Should().Be("job-new");
        result.IsSuccess.Should().BeTrue();
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DroppedResponse_ContextPointsAtAnOldJob_IsNotAdopted()
    {
        Baseline(null);
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        // A job id appears, but the job predates the request (less the 2-minute skew): not ours.
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-older"));
        _host.OmaHttp.When(HttpMethod.Get, $"{Create}/job-older").Respond("application/json", Fixtures.Job("job-older", "failed", "2025-09-19T15:00:00Z"));

        var submit = _host.Submitter.SubmitAsync(Web01);
        await _host.Time.DriveAsync(submit, t => t < TimeSpan.FromMinutes(1));

        (await submit).Status.Should().Be(SubmissionStatus.NotCreated);
    }

    [Fact]
    public async Task DroppedResponse_NothingAppearsWithinTheBound_IsNotCreated()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        var polls = _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", ContextBody("job-old"));

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.NotCreated);
        result.Reason.Should().Contain("one resend is safe");
        // Polls at 0, 2, 6, 14, 29, 44, 59, 74, 89, 104, 119 and, the wait cut to the bound, 120 s.
        _host.OmaHttp.GetMatchCount(polls).Should().Be(12);
        _host.Time.GetUtcNow().Should().Be(SdkTestHost.Start.AddMinutes(2));
    }

    [Fact]
    public async Task DroppedResponse_OmaUnreachableWhileReconciling_IsOutcomeUnknown()
    {
        Baseline("job-old");
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));
        _host.OmaHttp.When(HttpMethod.Get, Context).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var result = await SubmitThroughReconciliationAsync();

        result.Status.Should().Be(SubmissionStatus.OutcomeUnknown);
        result.Reason.Should().Contain("do not resend blindly");
        result.Error.Should().BeOfType<ReplicationTransportException>();
    }

    [Fact]
    public async Task CancelledAfterTheCreateWasSent_IsOutcomeUnknownNotFailure()
    {
        Baseline();
        var hanging = new HangingHandler();
        _host.OmaHttp.Expect(HttpMethod.Post, Create).Respond(hanging);
        using var cts = new CancellationTokenSource();

        var submit = _host.Submitter.SubmitAsync(Web01, cancellationToken: cts.Token);
        await hanging.Entered;
        await cts.CancelAsync();
        var result = await submit;

        result.Status.Should().Be(SubmissionStatus.OutcomeUnknown);
        result.Error.Should().BeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public async Task CancelledBeforeAnythingWasSent_Throws()
    {
        await FluentActions.Awaiting(() => _host.Submitter.SubmitAsync(Web01, cancellationToken: new CancellationToken(true)))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task VmNotFound_IsPermanentFailureAndNothingIsCreated()
    {
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(Web01 with { VmName = "web0", VmwareVmId = null });

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeFalse();
        result.Error.Should().BeOfType<VmNotFoundException>();
        result.Plan.Should().BeNull();
        _host.OmaHttp.GetMatchCount(create).Should().Be(0);
    }

    [Fact]
    public async Task DiscoveryUnreachable_IsTransientFailure()
    {
        _host.VmaHttp.Clear();
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => Task.FromResult(Fixtures.CapturedResponse("vma-real/error-unreachable-vcenter.txt")));

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task DiscoveryAnswerUnreadable_IsTransientFailureAndNothingIsCreated()
    {
        _host.VmaHttp.Clear();
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", """{"vcenter":{"host":"h","datacenter":"DC1"},"vms":[{"id":""");
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.Error.Should().BeOfType<ReplicationResponseFormatException>();
        result.IsTransient.Should().BeTrue("nothing was sent, so the schedule's retries may apply");
        result.RequestStartedAt.Should().BeNull();
        _host.OmaHttp.GetMatchCount(create).Should().Be(0);
    }

    [Fact]
    public async Task ContextAnswerUnreadableBeforeCreate_IsTransientFailureAndNothingIsCreated()
    {
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond("application/json", """{"context":{"context_id":""");
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue();
        _host.OmaHttp.GetMatchCount(create).Should().Be(0);
    }

    [Fact]
    public async Task ContextUnreadableBeforeCreate_FailsClosedWithoutCreating()
    {
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "down");
        var create = _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        result.IsTransient.Should().BeTrue();
        result.Reason.Should().Contain("could not be read before creating");
        _host.OmaHttp.GetMatchCount(create).Should().Be(0);
    }
}
