using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Diagnostics;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task HealthChecks_ReportEachAppliance()
    {
        using var host = SdkTestHost.Create(b => b.Services.AddHealthChecks().AddReplicationAppliances());
        host.VmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Vma}/health").Respond("application/json", Fixtures.Read("vma-real/health.json"));
        host.OmaHttp.When(HttpMethod.Get, "http://localhost:8082/health").Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "down");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["replication-vma"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["replication-oma"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["replication-oma"].Exception.Should().BeAssignableTo<ReplicationException>();
    }

    [Fact]
    public void HealthChecks_TakeNameFailureStatusTagsAndTimeoutLikeAddCheck()
    {
        using var host = SdkTestHost.Create(b => b.Services.AddHealthChecks()
            .AddReplicationVma("vma-tunnel", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(3))
            .AddReplicationOma(timeout: TimeSpan.FromSeconds(4))
            .AddReplicationAppliances(HealthStatus.Degraded, ["live"], TimeSpan.FromSeconds(5)));

        var registrations = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Select(r => (r.Name, r.FailureStatus, Tags: string.Join(',', r.Tags), r.Timeout)).ToList();

        registrations.Should().BeEquivalentTo(new[]
        {
            ("vma-tunnel", HealthStatus.Degraded, "ready", TimeSpan.FromSeconds(3)),
            ("replication-oma", HealthStatus.Unhealthy, "replication", TimeSpan.FromSeconds(4)),
            ("replication-vma", HealthStatus.Degraded, "live", TimeSpan.FromSeconds(5)),
            ("replication-oma", HealthStatus.Degraded, "live", TimeSpan.FromSeconds(5)),
        });
    }

    [Fact]
    public async Task HealthCheck_SlowerThanItsTimeout_ReportsItsFailureStatus()
    {
        using var host = SdkTestHost.Create(b => b.Services.AddHealthChecks().AddReplicationOma(failureStatus: HealthStatus.Degraded, timeout: TimeSpan.FromMilliseconds(50)));
        var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OmaHttp.When(HttpMethod.Get, "http://localhost:8082/health").Respond(() => never.Task);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["replication-oma"].Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task Calls_AreCountedByEndpointStatusAndOutcome()
    {
        using var host = SdkTestHost.Create();
        using var requests = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ReplicationDiagnostics.MeterName, ReplicationDiagnostics.RequestsInstrument);
        using var errors = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ReplicationDiagnostics.MeterName, ReplicationDiagnostics.ErrorsInstrument);
        using var durations = new MetricCollector<double>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ReplicationDiagnostics.MeterName, ReplicationDiagnostics.RequestDurationInstrument);
        host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/replications/job-1").Respond("application/json", Fixtures.Job("job-1"));
        host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/replications/job-2").Respond(HttpStatusCode.NotFound, "application/json", """{"error":"Job not found","details":"","timestamp":"2025-09-19T17:19:28Z"}""");

        await host.OmaClient.GetReplicationJobAsync("job-1");
        await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-2")).Should().ThrowAsync<OmaNotFoundException>();

        var snapshot = requests.GetMeasurementSnapshot();
        snapshot.Should().HaveCount(2);
        snapshot[0].Tags["replication.endpoint"].Should().Be("GET /api/v1/replications/{id}");
        snapshot[0].Tags["replication.outcome"].Should().Be("success");
        snapshot[0].Tags["http.response.status_code"].Should().Be(200);
        snapshot[1].Tags["replication.outcome"].Should().Be("api_error");
        snapshot[1].Tags["http.response.status_code"].Should().Be(404);
        errors.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["error.type"].Should().Be(nameof(OmaNotFoundException));
        durations.GetMeasurementSnapshot().Should().HaveCount(2);
        host.Activities.Where(a => a.Source.Name == ReplicationDiagnostics.ActivitySourceName).Select(a => a.DisplayName)
            .Should().Contain("OMA GET /api/v1/replications/{id}");
    }
}
