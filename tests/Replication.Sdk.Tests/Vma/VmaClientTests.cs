using System.Net;
using System.Text.Json;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Vma;

public sealed class VmaClientTests : IDisposable
{
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private readonly SdkTestHost _host = SdkTestHost.Create();

    private static DiscoverVmsRequest Dc0(params string[] filters) =>
        new() { VCenterHost = "vcenter.example.local", Datacenter = "DC0", NameFilters = filters };

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task DiscoverAsync_RealInventory_ParsesEveryFieldExactly()
    {
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/extra-discover-all.json"));

        var inventory = await _host.VmaClient.DiscoverAsync(Dc0());

        inventory.VCenter.Should().Be(new VCenterInfo { Host = "127.0.0.1:18990", Datacenter = "DC0" });
        inventory.Vms.Should().HaveCount(7);
        inventory.Vms.Should().OnlyContain(vm => vm.Cpus == 0 && vm.OsType == "" && vm.Datacenter == "DC0");

        var web = inventory.Vms.Single(v => v.Name == "web-linux-01");
        web.Should().BeEquivalentTo(new
        {
            Id = "cb045add-5c8d-5911-a2ba-1d84ed2430b9",
            Path = "/DC0/vm/Prod/web-linux-01",
            PowerState = "poweredOn",
            GuestOs = "linux",
            MemoryMb = 4096,
            NumCpu = 2,
            VmxVersion = "vmx-19",
        });
        web.Disks.Select(d => d.Id).Should().Equal("disk-2000", "disk-2001", "disk-2002");
        web.Disks[1].Should().Be(new DiscoveredDisk
        {
            Id = "disk-2001", Label = "Hard disk 2",
            Path = "[LocalDS_0] web-linux-01/web-linux-01_1.vmdk", VmdkPath = "[LocalDS_0] web-linux-01/web-linux-01_1.vmdk",
            SizeGb = 50, CapacityBytes = 53687091200, Datastore = "LocalDS_0", ProvisioningType = "thick", UnitNumber = 1,
        });
        web.Networks.Should().Equal(
            new DiscoveredNetwork { Label = "Network adapter 1", NetworkName = "VM Network", AdapterType = "vmxnet3", MacAddress = "00:0c:29:2a:62:39", Connected = true, Type = "" },
            new DiscoveredNetwork { Label = "Network adapter 2", NetworkName = "DC0_DVPG0", AdapterType = "e1000e", MacAddress = "00:0c:29:2b:62:39", Connected = false, Type = "" });

        var windows = inventory.Vms.Single(v => v.Name == "win-sql-01");
        windows.PowerState.Should().Be("poweredOff");
        windows.GuestOs.Should().Be("windows");
        windows.Disks.Sum(d => d.CapacityBytes).Should().Be(322122547200);
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DiscoverAsync_SendsContractBodyWithCredentialsFromProviderAndCommaJoinedFilters()
    {
        string? body = null;
        _host.VmaHttp.Expect(HttpMethod.Post, Discover)
            .WithHeaders("Content-Type", "application/json")
            .With(r => (body = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult()) is not null)
            .Respond("application/json", Fixtures.Read("vma-real/discover-filter-substring.json"));

        var inventory = await _host.VmaClient.DiscoverAsync(Dc0("VM1", " web01 "));

        using var json = JsonDocument.Parse(body!);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("vcenter", "username", "password", "datacenter", "filter");
        json.RootElement.GetProperty("vcenter").GetString().Should().Be("vcenter.example.local");
        json.RootElement.GetProperty("username").GetString().Should().Be("svc-replication@vsphere.local");
        json.RootElement.GetProperty("password").GetString().Should().Be(SdkTestHost.VCenterPassword);
        json.RootElement.GetProperty("datacenter").GetString().Should().Be("DC0");
        json.RootElement.GetProperty("filter").GetString().Should().Be("VM1,web01");
        // The VMA matches substrings: both VMs containing "VM1" come back, and the client does not pretend otherwise.
        inventory.Vms.Select(v => v.Name).Should().BeEquivalentTo("DC0_H0_VM1", "DC0_C0_RP0_VM1");
    }

    [Fact]
    public async Task DiscoverAsync_NoFilter_OmitsFilterField()
    {
        string? body = null;
        _host.VmaHttp.Expect(HttpMethod.Post, Discover)
            .With(r => (body = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult()) is not null)
            .Respond("application/json", Fixtures.Read("vma-real/discover-filter-nomatch.json"));

        var inventory = await _host.VmaClient.DiscoverAsync(Dc0());

        body.Should().NotContain("filter");
        inventory.Vms.Should().BeEmpty();
    }

    [Fact]
    public async Task DiscoverAsync_NullArrays_ReadAsEmpty()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json",
            """{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","name":"a","disks":null,"networks":null}]}""");
        var inventory = await _host.VmaClient.DiscoverAsync(Dc0());
        inventory.Vms[0].Disks.Should().BeEmpty();
        inventory.Vms[0].Networks.Should().BeEmpty();

        _host.VmaHttp.Clear();
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", """{"vcenter":{"host":"h","datacenter":"DC0"},"vms":null}""");
        (await _host.VmaClient.DiscoverAsync(Dc0())).Vms.Should().BeEmpty();
    }

    [Theory]
    [InlineData("error-bad-datacenter.txt", HttpStatusCode.InternalServerError, VmaErrorKind.DatacenterNotFound)]
    [InlineData("error-wrong-password.txt", HttpStatusCode.InternalServerError, VmaErrorKind.VCenterLoginFailed)]
    [InlineData("error-invalid-json.txt", HttpStatusCode.BadRequest, VmaErrorKind.BadRequest)]
    [InlineData("error-method-get.txt", HttpStatusCode.MethodNotAllowed, VmaErrorKind.Other)]
    public async Task DiscoverAsync_PermanentRealError_FailsFastWithClassification(string fixture, HttpStatusCode status, VmaErrorKind kind)
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => Task.FromResult(Fixtures.CapturedResponse($"vma-real/{fixture}")));

        var act = () => _host.VmaClient.DiscoverAsync(Dc0());

        var error = (await act.Should().ThrowAsync<VmaApiException>()).Which;
        error.StatusCode.Should().Be(status);
        error.Kind.Should().Be(kind);
        error.IsTransient.Should().BeFalse();
        error.Error.Should().Be(Fixtures.CapturedBody($"vma-real/{fixture}").Trim());
        error.RawBody.Should().Be(error.Error);
        error.Endpoint.Should().Be("POST /api/v1/discover");
        _host.VmaHttp.GetMatchCount(request).Should().Be(1, "permanent errors are never retried");
    }

    [Fact]
    public async Task DiscoverAsync_VCenterUnreachable_RetriedThenThrowsTransientError()
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover)
            .Respond(_ => Task.FromResult(Fixtures.CapturedResponse("vma-real/error-unreachable-vcenter.txt")));

        var act = () => _host.VmaClient.DiscoverAsync(Dc0());

        var error = (await act.Should().ThrowAsync<VmaApiException>()).Which;
        error.Kind.Should().Be(VmaErrorKind.VCenterUnreachable);
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("500").And.Contain("failed to connect to vCenter");
        _host.VmaHttp.GetMatchCount(request).Should().Be(4, "one attempt plus the default 3 retries");
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.BadGateway)]
    public async Task DiscoverAsync_TransientStatusThenSuccess_Retries(HttpStatusCode status)
    {
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(status, "text/plain", "busy\n");
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/discover-filter-substring.json"));

        var inventory = await _host.VmaClient.DiscoverAsync(Dc0("VM1"));

        inventory.Vms.Should().HaveCount(2);
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DiscoverAsync_ConnectionRefusedThenSuccess_Retries()
    {
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/discover-filter-nomatch.json"));

        (await _host.VmaClient.DiscoverAsync(Dc0())).Vms.Should().BeEmpty();
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DiscoverAsync_ConnectionAlwaysRefused_ThrowsTransportExceptionAfterRetries()
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        var act = () => _host.VmaClient.DiscoverAsync(Dc0());

        var error = (await act.Should().ThrowAsync<ReplicationTransportException>()).Which;
        error.IsTimeout.Should().BeFalse();
        error.Appliance.Should().Be(ApplianceKind.Vma);
        error.InnerException.Should().BeOfType<HttpRequestException>();
        _host.VmaHttp.GetMatchCount(request).Should().Be(4);
    }

    [Fact]
    public async Task DiscoverAsync_AttemptTimesOut_RetriesAndSucceeds()
    {
        var hanging = new HangingHandler();
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(hanging);
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/discover-filter-nomatch.json"));

        var call = _host.VmaClient.DiscoverAsync(Dc0());
        await hanging.Entered;
        await _host.Time.WaitForTimerAsync(t => t == TimeSpan.FromSeconds(120));
        _host.Time.Advance(TimeSpan.FromSeconds(120));

        (await call).Vms.Should().BeEmpty();
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DiscoverAsync_TotalTimeoutExpires_ThrowsTimeoutWithoutFurtherAttempts()
    {
        using var host = SdkTestHost.Create(configuration: new Dictionary<string, string?>
        {
            ["Replication:Vma:DiscoveryAttemptTimeout"] = "00:01:00",
            ["Replication:Vma:DiscoveryTotalTimeout"] = "00:01:30",
        });
        var first = new HangingHandler();
        var second = new HangingHandler();
        var request = host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(first);
        host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(second);

        var call = host.VmaClient.DiscoverAsync(Dc0());
        await first.Entered;
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await second.Entered;
        host.Time.Advance(TimeSpan.FromSeconds(30));

        var error = (await call.Awaiting(c => c).Should().ThrowAsync<ReplicationTransportException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Message.Should().Contain("timed out");
    }

    [Fact]
    public async Task DiscoverAsync_RetryBackoff_WaitsOnTheInjectedClock()
    {
        using var host = SdkTestHost.Create(configuration: new Dictionary<string, string?> { ["Replication:Vma:RetryBaseDelay"] = "00:00:10" });
        host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "busy");
        var second = host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/discover-filter-nomatch.json"));

        var call = host.VmaClient.DiscoverAsync(Dc0());
        // The attempt timeouts are 120 s and the total 10 min: anything else armed is the jittered backoff.
        await host.Time.WaitForTimerAsync(t => t != TimeSpan.FromSeconds(120) && t != TimeSpan.FromMinutes(10));
        var backoff = host.Time.ArmedTimers.Single(t => t != TimeSpan.FromSeconds(120) && t != TimeSpan.FromMinutes(10));
        backoff.Should().BePositive().And.BeLessThan(TimeSpan.FromSeconds(60));
        host.VmaHttp.GetMatchCount(second).Should().Be(0, "the retry waits for the backoff");

        host.Time.Advance(backoff);

        (await call).Vms.Should().BeEmpty();
        host.VmaHttp.GetMatchCount(second).Should().Be(1);
    }

    [Fact]
    public async Task DiscoverAsync_CallerCancels_ThrowsOperationCanceledAndDoesNotRetry()
    {
        var hanging = new HangingHandler();
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(hanging);
        using var cts = new CancellationTokenSource();

        var call = _host.VmaClient.DiscoverAsync(Dc0(), cts.Token);
        await hanging.Entered;
        await cts.CancelAsync();

        await call.Awaiting(c => c).Should().ThrowAsync<OperationCanceledException>();
        _host.VmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task DiscoverAsync_AlreadyCancelled_SendsNothing()
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", "{}");
        var act = () => _host.VmaClient.DiscoverAsync(Dc0(), new CancellationToken(canceled: true));
        await act.Should().ThrowAsync<OperationCanceledException>();
        _host.VmaHttp.GetMatchCount(request).Should().Be(0);
    }

    [Theory]
    [InlineData("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","na""", "truncated")]
    [InlineData("""{"vcenter":{"host":"h"},"vms":[{"id":"x",}]}""", "malformed JSON")]
    [InlineData("""{"vcenter":{"host":"h"},"vms":[{"memory_mb":"lots"}]}""", "malformed JSON")]
    [InlineData("", "JSON")]
    [InlineData("null", "JSON null")]
    public async Task DiscoverAsync_UnreadableBody_ThrowsFormatExceptionNotJsonException(string body, string expected)
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", body);

        var act = () => _host.VmaClient.DiscoverAsync(Dc0());

        var error = (await act.Should().ThrowAsync<ReplicationResponseFormatException>()).Which;
        error.Message.Should().Contain(expected);
        error.StatusCode.Should().Be(HttpStatusCode.OK);
        error.BodyExcerpt.Should().Be(body);
        _host.VmaHttp.GetMatchCount(request).Should().Be(4, "an unreadable answer is retried like a 5xx: one attempt plus the default 3 retries");
    }

    [Fact]
    public async Task DiscoverAsync_TruncatedOnce_IsRetriedAndSucceeds()
    {
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", """{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[{"id":"x","na""");
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Fixtures.Read("vma-real/extra-discover-all.json"));

        var inventory = await _host.VmaClient.DiscoverAsync(Dc0());

        inventory.Vms.Should().HaveCount(7);
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task DiscoverAsync_UnknownVCenter_ThrowsConfigurationErrorWithoutCalling()
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", "{}");
        var act = () => _host.VmaClient.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "other.example.local", Datacenter = "DC0" });

        (await act.Should().ThrowAsync<ReplicationConfigurationException>()).Which.Message
            .Should().Contain("other.example.local").And.Contain("Replication:Vma:VCenters");
        _host.VmaHttp.GetMatchCount(request).Should().Be(0);
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData(" ")]
    public async Task DiscoverAsync_BadFilterTerm_ThrowsArgumentException(string term)
    {
        var act = () => _host.VmaClient.DiscoverAsync(Dc0(term));
        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task GetHealthAsync_RealFixture_Parses()
    {
        _host.VmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Vma}/health").Respond("application/json", Fixtures.Read("vma-real/health.json"));

        var health = await _host.VmaClient.GetHealthAsync();

        health.Status.Should().Be("healthy");
        health.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 28, 12, 50, 58, TimeSpan.Zero));
        health.Uptime.Should().Be("483ns");
    }

    [Fact]
    public async Task GetJobStatusAsync_ParsesAndEscapesTheId()
    {
        _host.VmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Vma}/status/job%201").Respond("application/json",
            """{"job_id":"job 1","status":"running","progress_percent":12.5,"current_operation":"Transfer","start_time":"2025-09-19T17:19:28.123456789+01:00","last_update":"2025-09-19T17:20:00Z","vm_path":"/DC1/vm/web01"}""");

        var status = await _host.VmaClient.GetJobStatusAsync("job 1");

        status.Should().BeEquivalentTo(new
        {
            JobId = "job 1", Status = "running", ProgressPercent = 12.5, CurrentOperation = "Transfer", VmPath = "/DC1/vm/web01",
            StartTime = (DateTimeOffset?)new DateTimeOffset(2025, 9, 19, 17, 19, 28, TimeSpan.FromHours(1)).AddTicks(1234567),
        });
    }

    [Fact]
    public async Task GetJobStatusAsync_UnknownJob_ThrowsNotFoundWithoutRetry()
    {
        var request = _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/status/job-9").Respond(HttpStatusCode.NotFound, "text/plain", "Job not found: job-9\n");

        var error = (await _host.VmaClient.Awaiting(c => c.GetJobStatusAsync("job-9")).Should().ThrowAsync<VmaApiException>()).Which;

        error.Kind.Should().Be(VmaErrorKind.NotFound);
        error.Error.Should().Be("Job not found: job-9");
        _host.VmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task GetProgressAsync_ParsesCapitalisedStatusAndNestedBlocks()
    {
        _host.VmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/job-1").Respond("application/json", """
            {"job_id":"job-1","status":"Streaming","sync_type":"incremental","phase":"Transfer","percentage":55.5,"current_operation":"copy",
             "bytes_transferred":1024,"total_bytes":2048,
             "throughput":{"current_mbps":12.5,"average_mbps":10,"peak_mbps":20,"last_update":"2025-09-19T17:20:00Z"},
             "timing":{"start_time":"2025-09-19T17:19:28Z","last_update":"2025-09-19T17:20:00Z","elapsed_ms":32000,"eta_seconds":86400},
             "vm_info":{"name":"web01"},"phases":[{"name":"Snapshot","status":"completed","start_time":"2025-09-19T17:19:28Z","end_time":null,"duration_ms":100}],
             "errors":null,"last_error":{"message":"transient"},"disk_progresses":[{"disk_id":"disk-2000"}]}
            """);

        var progress = await _host.VmaClient.GetProgressAsync("job-1");

        progress.Status.Should().Be("Streaming");
        progress.Percentage.Should().Be(55.5);
        progress.Throughput!.CurrentMbps.Should().Be(12.5);
        progress.Timing!.EtaSeconds.Should().Be(86400);
        progress.Phases.Should().ContainSingle().Which.Name.Should().Be("Snapshot");
        progress.Errors.Should().BeEmpty();
        progress.LastError!.Value.GetProperty("message").GetString().Should().Be("transient");
        progress.DiskProgresses!.Value.GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task GetProgressAsync_UnknownJob_ThrowsNotFound()
    {
        _host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/progress/x").Respond(HttpStatusCode.NotFound, "text/plain", "job not found\n");
        var error = (await _host.VmaClient.Awaiting(c => c.GetProgressAsync("x")).Should().ThrowAsync<VmaApiException>()).Which;
        error.Kind.Should().Be(VmaErrorKind.NotFound);
    }
}
