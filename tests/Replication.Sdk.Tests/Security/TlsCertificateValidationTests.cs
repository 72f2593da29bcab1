using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Oma;
using Replication.Sdk.Security;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.Security;

/// <summary>Which trust settings a matrix cell configures.</summary>
public enum TrustMode
{
    /// <summary>No TLS settings: the system store.</summary>
    Default,

    /// <summary><c>Tls:CaCertificatePath</c> = the test root.</summary>
    CustomCa,

    /// <summary><c>Tls:PinnedCertificateSha256</c> = the served certificate, system store.</summary>
    Pin,

    /// <summary>Pin of the served certificate and the test root as CA.</summary>
    PinWithCustomCa,

    /// <summary>Pin of a certificate that is not served.</summary>
    WrongPin,

    /// <summary>Pin of the served certificate with <c>Tls:PinnedCertificateSkipsValidation</c>.</summary>
    PinSkipsValidation,
}

/// <summary>
/// Real HTTPS on 127.0.0.1 with generated certificates: every trust setting against every kind of certificate, through
/// the SDK as a host composes it, for the two calls that carry secrets (VMA discovery, OMA login).
/// </summary>
public sealed class TlsCertificateValidationTests : IClassFixture<TlsCertificateValidationTests.Certificates>
{
    private readonly TestCertificates _certificates;

    public TlsCertificateValidationTests(Certificates certificates) => _certificates = certificates.Value;

    public static TheoryData<TrustMode, ServedCertificate, TlsFailureReason?> Matrix()
    {
        var data = new TheoryData<TrustMode, ServedCertificate, TlsFailureReason?>();
        foreach (var kind in Enum.GetValues<ServedCertificate>())
        {
            // The system store cannot trust a root generated here: every certificate is refused, on trust.
            data.Add(TrustMode.Default, kind, TlsFailureReason.UntrustedRoot);
            data.Add(TrustMode.Pin, kind, TlsFailureReason.UntrustedRoot);
            data.Add(TrustMode.CustomCa, kind, ExpectedWithTestRoot(kind));
            data.Add(TrustMode.PinWithCustomCa, kind, ExpectedWithTestRoot(kind));
            data.Add(TrustMode.WrongPin, kind, TlsFailureReason.PinMismatch);
            data.Add(TrustMode.PinSkipsValidation, kind, null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task VmaDiscovery_AcceptsOrRefusesWithTheReason_OneHandshake_NoPasswordOnARefusedConnection(TrustMode mode, ServedCertificate kind, TlsFailureReason? expected)
    {
        await using var server = Serve(kind);
        await using var provider = Compose(server, mode, kind);
        var client = provider.GetRequiredService<IVmaClient>();

        var act = () => client.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC0" });

        await AssertCellAsync(act, server, expected, SdkTestHost.VCenterPassword);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task OmaLogin_AcceptsOrRefusesWithTheReason_OneHandshake_NoTokenOnARefusedConnection(TrustMode mode, ServedCertificate kind, TlsFailureReason? expected)
    {
        await using var server = Serve(kind);
        await using var provider = Compose(server, mode, kind);
        var client = provider.GetRequiredService<IOmaClient>();

        await AssertCellAsync(() => client.ListVmContextsAsync(), server, expected, SdkTestHost.LoginToken);
    }

    [Fact]
    public async Task RefusedCertificate_MessageNamesTheCheckAndNoSecret()
    {
        await using var server = Serve(ServedCertificate.Expired);
        await using var provider = Compose(server, TrustMode.PinWithCustomCa, ServedCertificate.Expired);

        var error = (await provider.GetRequiredService<IOmaClient>().Awaiting(c => c.ListVmContextsAsync())
            .Should().ThrowAsync<ReplicationTlsException>()).Which;

        error.Appliance.Should().Be(ApplianceKind.Oma);
        error.Message.Should().Contain("Expired").And.Contain("not retried")
            .And.NotContain(SdkTestHost.LoginToken)
            .And.NotContain(TestCertificates.Sha256(_certificates[ServedCertificate.Expired].Leaf), "the pin is configuration, not diagnosis")
            .And.NotContain(TestCertificates.Sha256(_certificates[ServedCertificate.Expired].Leaf).Replace(":", "", StringComparison.Ordinal).ToUpperInvariant());
    }

    private static TlsFailureReason? ExpectedWithTestRoot(ServedCertificate kind) => kind switch
    {
        ServedCertificate.Valid or ServedCertificate.ViaIntermediate => null,
        ServedCertificate.WrongHost => TlsFailureReason.NameMismatch,
        ServedCertificate.Expired => TlsFailureReason.Expired,
        ServedCertificate.NotYetValid => TlsFailureReason.NotYetValid,
        ServedCertificate.ClientAuthOnly => TlsFailureReason.InvalidUsage,
        _ => TlsFailureReason.UntrustedRoot,
    };

    private static async Task AssertCellAsync(Func<Task> act, TlsLoopbackServer server, TlsFailureReason? expected, string secret)
    {
        if (expected is { } reason)
        {
            (await act.Should().ThrowAsync<ReplicationTlsException>()).Which.Reason.Should().Be(reason);
            await server.ConnectionsClosedAsync();
            server.Handshakes.Should().Be(1, "a refused certificate is permanent: no retry");
            server.ApplicationText.Should().BeEmpty("nothing may be sent on a refused connection").And.NotContain(secret);
        }
        else
        {
            // The fixture answers 404: TLS accepted, the request (with its secret) arrived, and the answer was read.
            var error = (await act.Should().ThrowAsync<ReplicationApiException>()).Which;
            error.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
            await server.ConnectionsClosedAsync();
            server.Handshakes.Should().Be(1);
            server.ApplicationText.Should().Contain(secret, "the recorder sees what an accepted connection carries");
        }
    }

    private TlsLoopbackServer Serve(ServedCertificate kind)
    {
        var (leaf, chain) = _certificates[kind];
        return new TlsLoopbackServer(leaf, chain);
    }

    private ServiceProvider Compose(TlsLoopbackServer server, TrustMode mode, ServedCertificate kind)
    {
        var pin = TestCertificates.Sha256(mode == TrustMode.WrongPin ? _certificates.Root : _certificates[kind].Leaf);
        var settings = new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = $"https://127.0.0.1:{server.Port}/api/v1",
            ["Replication:Vma:VCenters:0:Host"] = "vcenter.example.local",
            ["Replication:Vma:VCenters:0:Username"] = "svc-replication@vsphere.local",
            ["Replication:Vma:VCenters:0:Password"] = SdkTestHost.VCenterPassword,
            ["Replication:Vma:RetryBaseDelay"] = "00:00:00",
            ["Replication:Oma:BaseAddress"] = $"https://127.0.0.1:{server.Port}/api/v1",
            ["Replication:Oma:RetryBaseDelay"] = "00:00:00",
            ["Replication:Oma:Authentication:Mode"] = "Login",
            ["Replication:Oma:Authentication:ApplianceId"] = "oma-1",
            ["Replication:Oma:Authentication:LoginToken"] = SdkTestHost.LoginToken,
        };
        foreach (var appliance in new[] { "Vma", "Oma" })
        {
            var tls = $"Replication:{appliance}:Tls:";
            if (mode is TrustMode.CustomCa or TrustMode.PinWithCustomCa)
            {
                settings[tls + "CaCertificatePath"] = _certificates.RootPemPath;
            }

            if (mode is TrustMode.Pin or TrustMode.PinWithCustomCa or TrustMode.WrongPin or TrustMode.PinSkipsValidation)
            {
                settings[tls + "PinnedCertificateSha256"] = pin;
            }

            if (mode is TrustMode.PinSkipsValidation)
            {
                settings[tls + "PinnedCertificateSkipsValidation"] = "true";
            }
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddReplicationSdk();
        return services.BuildServiceProvider();
    }

    /// <summary>Generating the certificates once keeps the matrix fast.</summary>
    public sealed class Certificates : IDisposable
    {
        internal TestCertificates Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }
}
