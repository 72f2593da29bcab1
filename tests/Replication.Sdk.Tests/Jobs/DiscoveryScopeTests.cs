using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Jobs;

public sealed class DiscoveryScopeTests : IDisposable
{
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private readonly SdkTestHost _host = SdkTestHost.Create(configuration: new Dictionary<string, string?>
    {
        ["Replication:Vma:VCenters:1:Host"] = "*",
        ["Replication:Vma:VCenters:1:Username"] = "u",
        ["Replication:Vma:VCenters:1:Password"] = "p",
    });

    private IDiscoveryScopeFactory Factory => _host.Services.GetRequiredService<IDiscoveryScopeFactory>();

    private static ReplicationTarget T(string vm, string datacenter = "DC1", string vcenter = "vcenter.example.local") =>
        new() { VmName = vm, VCenterHost = vcenter, Datacenter = datacenter };

    public void Dispose() => _host.Dispose();

    private static string Filter(HttpRequestMessage request)
    {
        using var json = JsonDocument.Parse(request.Content!.ReadAsStringAsync().GetAwaiter().GetResult());
        return json.RootElement.TryGetProperty("filter", out var f) ? $"{json.RootElement.GetProperty("datacenter").GetString()}:{f.GetString()}" : $"{json.RootElement.GetProperty("datacenter").GetString()}:*";
    }

    [Fact]
    public async Task ManyTargetsInThreeDatacenters_OneFilteredDiscoveryPerDatacenter()
    {
        var filters = new List<string>();
        _host.VmaHttp.When(HttpMethod.Post, Discover).With(r => { lock (filters) { filters.Add(Filter(r)); } return true; })
            .Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        var targets = new[] { T("web01"), T("web010"), T("db01", "DC2"), T("db02", "DC2"), T("app01", "DC3"), T("app02", "DC3"), T("APP01", "DC3") };
        using var scope = Factory.CreateScope(targets);

        await Task.WhenAll(targets.Select(t => scope.GetInventoryAsync(t)));

        scope.DiscoveryCount.Should().Be(3);
        filters.Should().BeEquivalentTo("DC1:web01,web010", "DC2:db01,db02", "DC3:app01,app02");
    }

    [Fact]
    public async Task FiftyConcurrentRequestsForOneGroup_ShareOneCall()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(async () =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Inventories.Json(Inventories.Web01Family())) };
        });
        var targets = Enumerable.Range(0, 50).Select(i => T($"vm{i:00}")).ToList();
        using var scope = Factory.CreateScope(targets);

        var waits = targets.Select(t => scope.GetInventoryAsync(t)).ToList();
        gate.SetResult();
        var snapshots = await Task.WhenAll(waits);

        calls.Should().Be(1);
        snapshots.Should().OnlyContain(s => ReferenceEquals(s, snapshots[0]));
    }

    [Fact]
    public async Task LongNameList_DiscoversTheGroupUnfiltered()
    {
        var filters = new List<string>();
        _host.VmaHttp.When(HttpMethod.Post, Discover).With(r => { filters.Add(Filter(r)); return true; }).Respond("application/json", Inventories.Json(Inventories.Of()));
        var targets = Enumerable.Range(0, 26).Select(i => T($"vm{i:00}")).ToList(); // MaxFilterNames is 25
        using var scope = Factory.CreateScope(targets);

        await scope.GetInventoryAsync(targets[0]);
        await scope.GetInventoryAsync(targets[25]);

        filters.Should().Equal("DC1:*");
    }

    [Fact]
    public async Task StaleSnapshot_IsRefetched_FreshOneIsReused()
    {
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        using var scope = Factory.CreateScope([T("web01")]);

        var first = await scope.GetInventoryAsync(T("web01"));
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        var reused = await scope.GetInventoryAsync(T("web01"));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var refetched = await scope.GetInventoryAsync(T("web01"));

        reused.Should().BeSameAs(first);
        refetched.Should().NotBeSameAs(first);
        refetched.DiscoveredAt.Should().Be(SdkTestHost.Start.AddMinutes(5));
        _host.VmaHttp.GetMatchCount(request).Should().Be(2);
    }

    [Fact]
    public async Task FailedGroupDiscovery_FailsEveryWaitingTargetWithTheSameTypedCause()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover);
        request.Respond(async () =>
        {
            await release.Task;
            return Fixtures.CapturedResponse("vma-real/error-bad-datacenter.txt");
        });
        var targets = new[] { T("web01"), T("web010"), T("db01") };
        using var scope = Factory.CreateScope(targets);

        var waiting = targets.Select(t => scope.GetInventoryAsync(t)).ToList();
        release.SetResult();
        var errors = new List<Exception>();
        foreach (var call in waiting)
        {
            errors.Add((await FluentActions.Awaiting(() => call).Should().ThrowAsync<VmaApiException>()).Which);
        }

        errors.Should().OnlyContain(e => ReferenceEquals(e, errors[0]));
        ((VmaApiException)errors[0]).Kind.Should().Be(Replication.Sdk.Vma.VmaErrorKind.DatacenterNotFound);
        _host.VmaHttp.GetMatchCount(request).Should().Be(1);
    }

    [Fact]
    public async Task FailedGroupDiscovery_IsNotCached_ARetryDiscoversAgain()
    {
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond(_ => Task.FromResult(Fixtures.CapturedResponse("vma-real/error-bad-datacenter.txt")));
        _host.VmaHttp.Expect(HttpMethod.Post, Discover).Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        using var scope = Factory.CreateScope([T("web01"), T("web010")]);

        await FluentActions.Awaiting(() => scope.GetInventoryAsync(T("web01"))).Should().ThrowAsync<VmaApiException>();
        _host.Time.Advance(TimeSpan.FromMinutes(1)); // well inside the 5-minute freshness window
        var retried = await scope.GetInventoryAsync(T("web01"));
        var shared = await scope.GetInventoryAsync(T("web010"));

        retried.Inventory.Vms.Should().Contain(v => v.Name == "web01");
        shared.Should().BeSameAs(retried, "a success is reused as before");
        _host.VmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task UnplannedTarget_GetsItsOwnFilteredDiscovery()
    {
        var filters = new List<string>();
        _host.VmaHttp.When(HttpMethod.Post, Discover).With(r => { filters.Add(Filter(r)); return true; }).Respond("application/json", Inventories.Json(Inventories.Of()));
        using var scope = Factory.CreateScope([T("web01")]);

        await scope.GetInventoryAsync(T("web01"));
        await scope.GetInventoryAsync(T("other"));

        filters.Should().Equal("DC1:web01", "DC1:other");
    }

    [Fact]
    public async Task CallerCancellation_StopsWaitingButNotTheSharedDiscovery()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(async () =>
        {
            await gate.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Inventories.Json(Inventories.Web01Family())) };
        });
        using var scope = Factory.CreateScope([T("web01"), T("web010")]);
        using var cts = new CancellationTokenSource();

        var cancelled = scope.GetInventoryAsync(T("web01"), cts.Token);
        var other = scope.GetInventoryAsync(T("web010"));
        await cts.CancelAsync();
        gate.SetResult();

        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>();
        (await other).Inventory.Vms.Should().HaveCount(4);
    }
}
