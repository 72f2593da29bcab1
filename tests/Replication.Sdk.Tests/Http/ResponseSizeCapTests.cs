using System.Net;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Http;

/// <summary>Allocation figures are process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(ResponseSizeCapTests), DisableParallelization = true)]
public sealed class ResponseSizeCapCollection;

[Collection(nameof(ResponseSizeCapTests))]
public sealed class ResponseSizeCapTests : IDisposable
{
    private const long FiftyMegabytes = 50L * 1000 * 1000;
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private const string VmJson = """{"id":"4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e","name":"web01","path":"/DC0/vm/web01","datacenter":"DC0","num_cpu":2,"memory_mb":4096,"disks":[],"networks":[]},""";

    private readonly SdkTestHost _host = SdkTestHost.Create();

    public void Dispose() => _host.Dispose();

    private static GeneratedContent Inventory(bool announceLength) =>
        new("""{"vcenter":{"host":"h","datacenter":"DC0"},"vms":[""", VmJson, """{"id":"x","name":"last"}]}""", FiftyMegabytes, announceLength);

    private static DiscoverVmsRequest Dc0() => new() { VCenterHost = "vcenter.example.local", Datacenter = "DC0" };

    [Fact]
    public async Task DiscoverAsync_FiftyMegabytesWithoutLength_StopsAtTheDefaultCapWithoutBufferingTheRest()
    {
        var body = Inventory(announceLength: false);
        var request = _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = body });
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var error = (await _host.VmaClient.Awaiting(c => c.DiscoverAsync(Dc0())).Should().ThrowAsync<ReplicationResponseTooLargeException>()).Which;

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        error.LimitBytes.Should().Be(32L * 1024 * 1024);
        error.Message.Should().Contain("Replication:Vma:MaxResponseBytes");
        body.Produced.Should().Be((32L * 1024 * 1024) + 1, "reading stops one byte past the cap");
        allocated.Should().BeLessThan(40L * 1024 * 1024, "the answer is never buffered whole: about the cap's 32 MiB is read, in segments, and not copied");
        _host.VmaHttp.GetMatchCount(request).Should().Be(1, "an answer too large once is too large again: not retried");
    }

    [Fact]
    public async Task DiscoverAsync_LengthAboveTheCap_IsRefusedBeforeReadingAByte()
    {
        var body = Inventory(announceLength: true);
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = body });

        await _host.VmaClient.Awaiting(c => c.DiscoverAsync(Dc0())).Should().ThrowAsync<ReplicationResponseTooLargeException>();

        body.Produced.Should().Be(0);
    }

    [Fact]
    public async Task DiscoverAsync_SmallerConfiguredCap_BoundsTheHeap()
    {
        using var host = SdkTestHost.Create(configuration: new Dictionary<string, string?> { ["Replication:Vma:MaxResponseBytes"] = "1048576" });
        var body = Inventory(announceLength: false);
        host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = body });
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        (await host.VmaClient.Awaiting(c => c.DiscoverAsync(Dc0())).Should().ThrowAsync<ReplicationResponseTooLargeException>()).Which.LimitBytes.Should().Be(1048576);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        allocated.Should().BeLessThan(4L * 1024 * 1024, "a 50 MB answer costs about the 1 MiB cap, not 50 MB");
    }

    [Fact]
    public async Task ErrorBody_FiftyMegabytes_IsReadOnlyAsFarAsItIsKept()
    {
        var body = new GeneratedContent("Discovery failed: ", "x", "\n", FiftyMegabytes, announceLength: false);
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = body });

        var error = (await _host.VmaClient.Awaiting(c => c.DiscoverAsync(Dc0())).Should().ThrowAsync<VmaApiException>()).Which;

        error.Error!.Length.Should().BeLessThanOrEqualTo(4097);
        body.Produced.Should().BeLessThanOrEqualTo(16 * 1024);
    }

    [Fact]
    public async Task LoginErrorBody_FiftyMegabytes_IsReadOnlyAsFarAsItIsKept()
    {
        using var host = SdkTestHost.WithLogin();
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<GeneratedContent>();
        host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/auth/login").Respond(_ =>
        {
            var body = new GeneratedContent("<html>", "x", "</html>", FiftyMegabytes, announceLength: false);
            bodies.Enqueue(body);
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = body };
        });

        await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<OmaApiException>();

        bodies.Should().NotBeEmpty().And.OnlyContain(b => b.Produced <= 16 * 1024, "a 502 is retried, and each answer is read only as far as it is kept");
    }

    [Fact]
    public async Task CreateReplicationAsync_SuccessTooLarge_IsOutcomeUnknown()
    {
        var body = new GeneratedContent("""{"job_id":"job-1","message":" """, "x", "\"}", FiftyMegabytes, announceLength: true);
        var request = _host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Respond(_ => new HttpResponseMessage(HttpStatusCode.Created) { Content = body });

        var error = (await _host.OmaClient.Awaiting(c => c.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<ReplicationOutcomeUnknownException>()).Which;

        error.InnerException.Should().BeOfType<ReplicationResponseTooLargeException>();
        _host.OmaHttp.GetMatchCount(request).Should().Be(1);
    }
}
