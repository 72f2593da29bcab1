using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Oma;
using Replication.Sdk.Testing;
using Replication.Sdk.Vma;

namespace Replication.Sdk.IntegrationTests;

/// <summary>The SDK's clients against the simulator over loopback HTTP.</summary>
public sealed class SimulatorWireTests : IAsyncLifetime
{
    private ApplianceSimulator _sim = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        // Jobs stay active for the whole test: the conflict test must not depend on how fast a busy machine runs it.
        _sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 12, LoginToken = "it-login-token", JobDuration = TimeSpan.FromMinutes(10) });
        _services = Stack.Build(_sim);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Discover_SubstringFilterAndQuirks()
    {
        var vma = _services.GetRequiredService<IVmaClient>();

        var all = await vma.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
        var filtered = await vma.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC1", NameFilters = ["vm01"] });

        all.Vms.Should().HaveCount(12).And.OnlyContain(v => v.Cpus == 0 && v.OsType == "" && v.NumCpu > 0);
        filtered.Vms.Select(v => v.Name).Should().BeEquivalentTo("vm010", "vm011", "vm012");
        _sim.Journal.For("POST", "/api/v1/discover").Should().OnlyContain(e => e.Body.Contains("\"password\":\"(redacted)\""));
    }

    [Fact]
    public async Task Discover_UnknownDatacenter_IsTypedFromTheTextBody()
    {
        var vma = _services.GetRequiredService<IVmaClient>();
        var error = (await FluentActions.Awaiting(() => vma.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC9" }))
            .Should().ThrowAsync<VmaApiException>()).Which;
        error.Kind.Should().Be(VmaErrorKind.DatacenterNotFound);
    }

    [Fact]
    public async Task LoginCreateConflictAndSessionLoss()
    {
        var oma = _services.GetRequiredService<IOmaClient>();
        var submitter = _services.GetRequiredService<Jobs.IReplicationJobSubmitter>();
        var target = new Jobs.ReplicationTarget { VmName = "vm003", VCenterHost = "vcenter.example.local", Datacenter = "DC1" };

        var first = await submitter.SubmitAsync(target);
        var second = await submitter.SubmitAsync(target);
        _sim.RestartOma();
        var job = await oma.GetReplicationJobAsync(first.JobId!);

        first.Status.Should().Be(Jobs.SubmissionStatus.JobCreated);
        second.Status.Should().Be(Jobs.SubmissionStatus.ActiveJobExists);
        second.JobId.Should().Be(first.JobId);
        job.JobId.Should().Be(first.JobId);
        _sim.Journal.For("POST", "/api/v1/auth/login").Should().HaveCount(2, "one login, and one more after the OMA lost its sessions");
        _sim.Journal.Entries.Where(e => e.Appliance == "OMA").Should().OnlyContain(e => !e.Headers.ContainsKey("Authorization") || e.Headers["Authorization"] == "(redacted)");
    }

    [Fact]
    public async Task DroppedCreateResponse_IsReconciledNotResent()
    {
        _sim.Faults.Add(new FaultRule { Endpoint = "POST /api/v1/replications", Kind = FaultKind.ResetAfterEffect, VmName = "vm004" });
        var submitter = _services.GetRequiredService<Jobs.IReplicationJobSubmitter>();

        var result = await submitter.SubmitAsync(new Jobs.ReplicationTarget { VmName = "vm004", VCenterHost = "vcenter.example.local", Datacenter = "DC1" });

        result.Status.Should().Be(Jobs.SubmissionStatus.JobAdopted);
        _sim.Jobs.Where(j => j.VmName == "vm004").Should().ContainSingle().Which.Id.Should().Be(result.JobId);
        _sim.Journal.For("POST", "/api/v1/replications").Should().ContainSingle();
    }

    [Fact]
    public async Task UnknownRoute_IsTheGoText404()
    {
        using var http = new HttpClient { BaseAddress = _sim.OmaBaseAddress };
        var response = await http.GetAsync(new Uri("api/v1/nope", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Be("404 page not found\n");
    }
}

internal static class Stack
{
    public static ServiceProvider Build(ApplianceSimulator sim, Action<IServiceCollection>? more = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = sim.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = sim.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "it",
            ["Replication:Vma:VCenters:0:Password"] = "it-password",
            ["Replication:Vma:RetryBaseDelay"] = "00:00:00.050",
            ["Replication:Oma:RetryBaseDelay"] = "00:00:00.050",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "it-net",
            ["Replication:Jobs:ReconciliationInitialDelay"] = "00:00:00.100",
            ["Replication:Jobs:ReconciliationTimeout"] = "00:00:05",
        };
        if (sim.Options.LoginToken is { } token)
        {
            values["Replication:Oma:Authentication:Mode"] = "Login";
            values["Replication:Oma:Authentication:ApplianceId"] = sim.Options.ApplianceId;
            values["Replication:Oma:Authentication:LoginToken"] = token;
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddReplicationSdk();
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
