using System.Net;
using System.Text.Json;
using Replication.Sdk.Oma;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Oma;

public sealed class OmaClientTests : IDisposable
{
    private const string Replications = $"{SdkTestHost.Oma}/replications";
    private readonly SdkTestHost _host = SdkTestHost.Create();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task CreateReplicationAsync_JobStarted_ReturnsDiscriminatedJobResult()
    {
        string? body = null;
        _host.OmaHttp.Expect(HttpMethod.Post, Replications)
            .With(r => (body = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult()) is not null)
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await _host.OmaClient.CreateReplicationAsync(Requests.Create());

        var job = result.Should().BeOfType<ReplicationJobStarted>().Subject;
        job.JobId.Should().Be("job-20250919-171928.123-a1b2c3");
        job.Status.Should().Be(ReplicationJobStatus.Replicating);
        job.CreatedVolumes.Should().ContainSingle().Which.Should().Be(new CreatedVolume { VolumeId = "0f0e0d0c-0000-4000-8000-000000000001", VolumeName = "web01-disk-0", SizeGb = 45, Status = "created" });
        job.MountedVolumes.Should().ContainSingle().Which.DevicePath.Should().Be("/dev/vdc");
        job.StartedAt.Should().Be(new DateTimeOffset(2025, 9, 19, 17, 19, 28, 123, TimeSpan.FromHours(1)).AddTicks(4000));
        job.SourceVm!.Cpus.Should().Be(4);

        using var json = JsonDocument.Parse(body!);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal(
            "source_vm", "ossea_config_id", "replication_type", "target_network", "vcenter_host", "datacenter", "start_replication");
        root.GetProperty("ossea_config_id").GetInt32().Should().Be(7);
        root.GetProperty("start_replication").GetBoolean().Should().BeTrue();
        root.GetProperty("source_vm").GetProperty("disks")[0].GetProperty("capacity_bytes").GetInt64().Should().Be(42949672960);
        root.GetProperty("source_vm").GetProperty("networks")[0].GetProperty("network_name").GetString().Should().Be("VM Network");
    }

    [Fact]
    public async Task CreateReplicationAsync_SchedulerMetadata_IsSentWhenSet()
    {
        string? body = null;
        _host.OmaHttp.Expect(HttpMethod.Post, Replications)
            .With(r => (body = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult()) is not null)
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        await _host.OmaClient.CreateReplicationAsync(Requests.Create() with { ScheduleExecutionId = "exec-1", VmGroupId = "grp-1", ScheduledBy = "scheduler" });

        using var json = JsonDocument.Parse(body!);
        json.RootElement.GetProperty("schedule_execution_id").GetString().Should().Be("exec-1");
        json.RootElement.GetProperty("vm_group_id").GetString().Should().Be("grp-1");
        json.RootElement.GetProperty("scheduled_by").GetString().Should().Be("scheduler");
    }

    [Fact]
    public async Task CreateReplicationAsync_AddToManagement_ReturnsContextResult()
    {
        _host.OmaHttp.Expect(HttpMethod.Post, Replications).WithPartialContent("\"start_replication\":false")
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.VmAdded);

        var result = await _host.OmaClient.CreateReplicationAsync(Requests.Create() with { StartReplication = false });

        result.Should().BeOfType<VmAddedToManagement>().Which.Should().BeEquivalentTo(new
        {
            ContextId = "ctx-web01-20250919-171928",
            VmName = "web01",
            CurrentStatus = "discovered",
            Message = "VM added to management successfully",
            CreatedAt = (DateTimeOffset?)new DateTimeOffset(2025, 9, 19, 17, 19, 28, TimeSpan.FromHours(1)),
        });
    }

    [Fact]
    public async Task CreateReplicationAsync_NeitherShape_IsOutcomeUnknownWithTheFormatProblem()
    {
        _host.OmaHttp.Expect(HttpMethod.Post, Replications).Respond(HttpStatusCode.Created, "application/json", """{"message":"ok"}""");
        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;
        error.InnerException.Should().BeOfType<ReplicationResponseFormatException>().Which.Message.Should().Contain("neither job_id nor context_id");
    }

    [Fact]
    public async Task Reads_UnreadableAnswerOnce_AreRetriedAndSucceed()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/web01").Respond("application/json", """{"context":{"context_id":"ctx-""");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/web01").Respond("application/json", $$"""{"context":{{Fixtures.Context()}}}""");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond("application/json", "<html>bad gateway page with a 200</html>");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond("application/json", Fixtures.Job("job-1"));

        var context = await _host.OmaClient.GetVmContextAsync("web01");
        var job = await _host.OmaClient.GetReplicationJobAsync("job-1");

        context.Context.VmName.Should().Be("web01");
        job.JobId.Should().Be("job-1");
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    // The OMA said 201: the job exists, only its id is lost. Reporting a format error would let a caller send it again.
    [Theory]
    [InlineData("""{"job_id":"job-20250919-171928.123-a1b2c3","status":"repl""")]
    [InlineData("""<html>proxy rewrote this</html>""")]
    [InlineData("""{"job_id":42}""")]
    public async Task CreateReplicationAsync_SuccessWithUnreadableBody_ThrowsOutcomeUnknownAndNeverResends(string body)
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(HttpStatusCode.Created, "application/json", body);

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;

        error.RequestStartedAt.Should().Be(SdkTestHost.Start);
        error.InnerException.Should().BeOfType<ReplicationResponseFormatException>();
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }

    // A proxy's 408/502/503/504 says it stopped waiting, not that the OMA did nothing: the OMA may still be provisioning.
    [Theory]
    [InlineData(408)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task CreateReplicationAsync_GatewayError_ThrowsOutcomeUnknownAndNeverResends(int status)
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond((HttpStatusCode)status, "text/html", "<html>Gateway</html>");

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;

        error.InnerException.Should().BeAssignableTo<OmaApiException>().Which.StatusCode.Should().Be((HttpStatusCode)status);
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task CreateReplicationAsync_ActiveJob409_ThrowsConflictWithParsedJobId()
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(HttpStatusCode.Conflict, "application/json",
            """{"error":"VM has active replication job","details":"VM 'web01' (4210a1b2-c3d4) already has active job: job-20250919-171928.123-a1b2c3","timestamp":"2025-09-19T17:19:28.123456789+01:00"}""");

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<OmaActiveJobConflictException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
        error.ActiveJobId.Should().Be("job-20250919-171928.123-a1b2c3");
        error.VmName.Should().Be("web01");
        error.VmId.Should().Be("4210a1b2-c3d4");
        error.Timestamp.Should().Be(new DateTimeOffset(2025, 9, 19, 17, 19, 28, TimeSpan.FromHours(1)).AddTicks(1234567));
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task CreateReplicationAsync_AlreadyManaged409_ThrowsDistinctTypeWithContextId()
    {
        _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(HttpStatusCode.Conflict, "application/json",
            """{"error":"VM already exists in management","details":"VM 'web01' (4210a1b2) is already managed with context ID: ctx-web01-20250919-171928","timestamp":"2025-09-19T17:19:28+01:00"}""");

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create() with { StartReplication = false }))
            .Should().ThrowAsync<OmaVmAlreadyManagedException>()).Which;

        error.ContextId.Should().Be("ctx-web01-20250919-171928");
        error.VmId.Should().Be("4210a1b2");
    }

    [Theory]
    [InlineData(400, """{"error":"OSSEA configuration ID is required","details":"Must specify target OSSEA configuration","timestamp":"2025-09-19T17:19:28+01:00"}""", "OSSEA configuration ID is required", "Must specify target OSSEA configuration")]
    [InlineData(400, """{"error":"Cannot start initial replication - CloudStack prerequisites not met","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""", "Cannot start initial replication - CloudStack prerequisites not met", "")]
    [InlineData(500, """{"error":"Failed to start migration workflow","details":"source VM has no disks to migrate","timestamp":"2025-09-19T17:19:28+01:00"}""", "Failed to start migration workflow", "source VM has no disks to migrate")]
    [InlineData(500, """{"error":"Failed to check VM status","timestamp":"2025-09-19T16:19:28Z"}""", "Failed to check VM status", null)]
    public async Task CreateReplicationAsync_ErrorShapes_ThrowOmaApiExceptionAndAreNeverRetried(int status, string body, string error, string? details)
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond((HttpStatusCode)status, "application/json", body);

        var thrown = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<OmaApiException>()).Which;

        thrown.StatusCode.Should().Be((HttpStatusCode)status);
        thrown.Error.Should().Be(error);
        thrown.Details.Should().Be(details);
        thrown.Timestamp.Should().NotBeNull();
        thrown.RawBody.Should().Be(body);
        _host.OmaHttp.GetMatchCount(request).Should().Be(1, "the job-creating POST is never retried");
    }

    [Fact]
    public async Task CreateReplicationAsync_ResponseDropped_ThrowsOutcomeUnknownAndNeverResends()
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications)
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("EOF")));

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;

        error.VmName.Should().Be("web01");
        error.VmId.Should().Be("4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e");
        error.VCenterHost.Should().Be("vcenter.example.local");
        error.RequestStartedAt.Should().Be(SdkTestHost.Start);
        error.IsTimeout.Should().BeFalse();
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task CreateReplicationAsync_NoAnswerWithinCreateTimeout_ThrowsOutcomeUnknown()
    {
        var hanging = new HangingHandler();
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(hanging);

        var call = _host.OmaClient.CreateReplicationAsync(Requests.Create());
        await hanging.Entered;
        await _host.Time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(180));
        _host.Time.Advance(TimeSpan.FromSeconds(180));

        var error = (await call.Awaiting(c => c).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;
        error.IsTimeout.Should().BeTrue();
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task CreateReplicationAsync_ConnectionRefused_IsSafeTransportFailureNotOutcomeUnknown()
    {
        _host.OmaHttp.When(HttpMethod.Post, Replications).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationTransportException>()).Which;
        error.IsTimeout.Should().BeFalse();
    }

    [Fact]
    public async Task CreateReplicationAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var hanging = new HangingHandler();
        _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(hanging);
        using var cts = new CancellationTokenSource();

        var call = _host.OmaClient.CreateReplicationAsync(Requests.Create(), cts.Token);
        await hanging.Entered;
        await cts.CancelAsync();

        await call.Awaiting(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    public static TheoryData<string, Func<SourceVm, SourceVm>, int> BadRequests => new()
    {
        { "no disks", vm => vm with { Disks = [] }, 7 },
        { "has no path (RDM", vm => vm with { Disks = [vm.Disks[0] with { Path = "", VmdkPath = "", Datastore = "" }] }, 7 },
        { "capacity_bytes 0", vm => vm with { Disks = [vm.Disks[0] with { CapacityBytes = 0 }] }, 7 },
        { "source_vm.path is empty", vm => vm with { Path = "" }, 7 },
        { "ossea_config_id must be positive (was 0)", vm => vm, 0 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task CreateReplicationAsync_RequestThatWouldBlockTheVm_IsRejectedBeforeSending(string expected, Func<SourceVm, SourceVm> change, int configId)
    {
        var request = _host.OmaHttp.When(HttpMethod.Post, Replications).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var act = () => _host.OmaClient.CreateReplicationAsync(Requests.Create(change, configId));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(expected);
        _host.OmaHttp.GetMatchCount(request).Should().Be(0);
    }

    [Fact]
    public async Task GetReplicationJobAsync_FullBody_ParsesEveryBlock()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond("application/json", Fixtures.Job("job-1"));

        var job = await _host.OmaClient.GetReplicationJobAsync("job-1");

        job.Status.IsTerminal.Should().BeFalse();
        job.ProgressPercent.Should().Be(42.5);
        job.CreatedAt.Should().Be(new DateTimeOffset(2025, 9, 19, 16, 19, 28, TimeSpan.Zero).AddTicks(1234567));
        job.StartedAt.Should().BeNull();
        job.SourceVm.VcenterHost.Should().Be("vcenter.example.local");
        job.Configuration.Should().Be(new ReplicationJobConfiguration { ReplicationType = "initial", TargetNetwork = "net-a", OsseaConfigId = 7 });
        job.Disks.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Id = 11L, DiskId = "disk-2000", BytesSynced = 18253611008L, OsseaVolumeId = 5L });
        job.Mounts.Should().ContainSingle().Which.MountedAt.Should().Be(new DateTimeOffset(2025, 9, 19, 17, 19, 30, TimeSpan.Zero));
        job.CbtHistory.Should().ContainSingle().Which.SyncSuccess.Should().BeTrue();
    }

    [Theory]
    [InlineData("completed", true)]
    [InlineData("failed", true)]
    [InlineData("cancelled", true)]
    [InlineData("replication_failed", true)]
    [InlineData("stopped", true)]
    [InlineData("pending", false)]
    [InlineData("ready_for_sync", false)]
    [InlineData("some_new_status", false)]
    public async Task GetReplicationJobAsync_Status_IsTerminalOnlyForKnownEndStates(string status, bool terminal)
    {
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond("application/json", Fixtures.Job("job-1", status));

        var job = await _host.OmaClient.GetReplicationJobAsync("job-1");

        job.Status.Value.Should().Be(status);
        job.Status.IsTerminal.Should().Be(terminal);
    }

    [Fact]
    public async Task GetReplicationJobAsync_Unknown_ThrowsNotFound()
    {
        _host.OmaHttp.When(HttpMethod.Get, $"{Replications}/job-x").Respond(HttpStatusCode.NotFound, "application/json",
            """{"error":"Job not found","details":"Migration job with ID job-x does not exist","timestamp":"2025-09-19T17:19:28+01:00"}""");

        var error = (await _host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-x")).Should().ThrowAsync<OmaNotFoundException>()).Which;
        error.Details.Should().Be("Migration job with ID job-x does not exist");
    }

    [Fact]
    public async Task GetReplicationJobAsync_TransientThenOk_IsRetried()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond(HttpStatusCode.BadGateway, "text/html", "<html>bad gateway</html>");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{Replications}/job-1").Respond("application/json", Fixtures.Job("job-1"));

        (await _host.OmaClient.GetReplicationJobAsync("job-1")).JobId.Should().Be("job-1");
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task UnroutedPath_TextPlain404_KeepsTheText()
    {
        _host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/web01/recent-jobs").Respond(HttpStatusCode.NotFound, "text/plain", "404 page not found");

        var error = (await _host.OmaClient.Awaiting(c => c.GetRecentJobsAsync("web01")).Should().ThrowAsync<OmaNotFoundException>()).Which;
        error.Error.Should().Be("404 page not found");
        error.Details.Should().BeNull();
    }

    [Fact]
    public async Task VmContextRoutes_ParseEveryField()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts").Respond("application/json",
            $$"""{"vm_contexts":[{{Fixtures.Context()[..^2]}}, "groups":[{"group_id":"g1","group_name":"Prod","priority":1,"enabled":true}],"group_count":1}],"count":1}""");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/web%2001").Respond("application/json",
            $$"""{"context":{{Fixtures.Context("web 01")}},"current_job":{"id":"job-1","status":"replicating","replication_type":"initial","created_at":"2025-09-19T17:19:28+01:00"},"job_history":null,"disks":[{"x":1}],"cbt_history":[],"last_operation":null}""");
        _host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/ctx-1/recent-jobs").Respond("application/json",
            """{"context_id":"ctx-1","jobs":[{"job_id":"job-1","job_type":"replication","status":"completed","progress":100,"started_at":"2025-09-19T17:19:28.123+01:00","completed_at":"2025-09-19T17:29:28.456+01:00","display_name":"web01","data_source":"replication_jobs","duration_seconds":600},{"job_id":"job-0","job_type":"replication","status":"failed","progress":42.5,"started_at":"2025-09-18T02:00:00.000+01:00","completed_at":null,"display_name":"web01","error_message":"boom","data_source":"replication_jobs","duration_seconds":0}],"count":2}""");

        var list = await _host.OmaClient.ListVmContextsAsync();
        var details = await _host.OmaClient.GetVmContextAsync("web 01");
        var recent = await _host.OmaClient.GetRecentJobsAsync("ctx-1");

        var context = list.VmContexts.Should().ContainSingle().Subject;
        context.Should().BeEquivalentTo(new
        {
            ContextId = "ctx-web01-20250919-171928", VmName = "web01", CurrentStatus = "replicating", CurrentJobId = "job-1",
            TotalJobsRun = 3, CpuCount = (int?)4, SchedulerEnabled = false, AutoAdded = true, OsseaConfigId = (int?)7, CredentialId = (int?)null,
        });
        context.LastOperationSummary!.Value.GetProperty("op").GetString().Should().Be("replication");
        context.Groups.Should().ContainSingle().Which.Should().Be(new VmContextGroup { GroupId = "g1", GroupName = "Prod", Priority = 1, Enabled = true });
        details.Context.VmName.Should().Be("web 01");
        details.CurrentJob!.Status.Should().Be(ReplicationJobStatus.Replicating);
        details.JobHistory.Should().BeEmpty();
        details.Disks.Should().HaveCount(1);
        recent.Jobs.Select(j => (j.JobId, j.Status.IsTerminal)).Should().Equal(("job-1", true), ("job-0", true));
        recent.Jobs[0].Should().Be(new RecentJob
        {
            JobId = "job-1", JobType = "replication", Status = ReplicationJobStatus.Completed, Progress = 100,
            StartedAt = new DateTimeOffset(2025, 9, 19, 17, 19, 28, 123, TimeSpan.FromHours(1)), CompletedAt = new DateTimeOffset(2025, 9, 19, 17, 29, 28, 456, TimeSpan.FromHours(1)),
            DisplayName = "web01", DataSource = "replication_jobs", DurationSeconds = 600,
        });
        recent.Jobs[1].ErrorMessage.Should().Be("boom");
        recent.Jobs[1].Progress.Should().Be(42.5);
        recent.Jobs[1].CompletedAt.Should().BeNull();
    }

    [Fact]
    public async Task GetVmContextAsync_Unknown_ThrowsNotFoundWithShortErrorShape()
    {
        _host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/ghost").Respond(HttpStatusCode.NotFound, "application/json",
            """{"error":"VM context not found","timestamp":"2025-09-19T16:19:28Z"}""");

        var error = (await _host.OmaClient.Awaiting(c => c.GetVmContextAsync("ghost")).Should().ThrowAsync<OmaNotFoundException>()).Which;
        error.Error.Should().Be("VM context not found");
        error.Details.Should().BeNull();
        error.Timestamp.Should().Be(new DateTimeOffset(2025, 9, 19, 16, 19, 28, TimeSpan.Zero));
    }

    [Fact]
    public async Task DeleteReplicationJobAsync_ParsesResultAndIsNotRetried()
    {
        _host.OmaHttp.Expect(HttpMethod.Delete, $"{Replications}/job-1").Respond("application/json",
            """{"message":"Replication job deleted","job_id":"job-1","deletion_tracking_id":"0b9e6c52-3f1d-4d7e-9a54-2f4c8f1e7a10","timestamp":"2025-09-19T17:19:28Z","operations":{"volumes_deleted":true,"database_cleaned":true,"nbd_exports_removed":false}}""");
        var result = await _host.OmaClient.DeleteReplicationJobAsync("job-1");
        result.Operations.Should().Be(new DeleteOperations { VolumesDeleted = true, DatabaseCleaned = true, NbdExportsRemoved = false });
        result.DeletionTrackingId.Should().Be("0b9e6c52-3f1d-4d7e-9a54-2f4c8f1e7a10");
        result.VolumeDeletionWarning.Should().BeNull();

        var conflict = _host.OmaHttp.When(HttpMethod.Delete, $"{Replications}/job-2").Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "busy");
        await _host.OmaClient.Awaiting(c => c.DeleteReplicationJobAsync("job-2")).Should().ThrowAsync<OmaApiException>();
        _host.OmaHttp.GetMatchCount(conflict).Should().Be(1, "a delete is not retried");
    }

    [Fact]
    public async Task PingAsync_Health_Succeeds()
    {
        _host.OmaHttp.Expect(HttpMethod.Get, "http://localhost:8082/health").Respond("application/json", """{"status":"ok"}""");
        await _host.OmaClient.PingAsync();
        _host.OmaHttp.VerifyNoOutstandingExpectation();
    }
}
