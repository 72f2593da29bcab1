using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Replication.Sdk.Security;

namespace Replication.Sdk.Tests.Security;

public sealed class TlsCertificateValidationTests
{
    private static X509Certificate2 SelfSigned(string subject, out RSA key)
    {
        key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    [Fact]
    public void Pinned_AcceptsExactlyThePinnedCertificate()
    {
        using var cert = SelfSigned("oma.example.local", out var key1);
        using var other = SelfSigned("oma.example.local", out var key2);
        var pin = string.Join(':', Convert.ToHexString(SHA256.HashData(cert.RawData)).Chunk(2).Select(c => new string(c))).ToLowerInvariant();
        var normalized = TlsCertificateValidation.NormalizeThumbprint(pin);

        TlsCertificateValidation.IsPinnedMatch(normalized, cert, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
        TlsCertificateValidation.IsPinnedMatch(normalized, other, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
        TlsCertificateValidation.IsPinnedMatch(normalized, null, SslPolicyErrors.RemoteCertificateNotAvailable).Should().BeFalse();
        key1.Dispose();
        key2.Dispose();
    }

    [Fact]
    public void CustomCa_AcceptsLeafIssuedByTheCaAndRejectsOthers()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Appliance CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=oma.example.local", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        using var stranger = SelfSigned("oma.example.local", out var strangerKey);
        var roots = new X509Certificate2Collection(ca);

        TlsCertificateValidation.IsTrustedByCustomCa(roots, leaf, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeTrue();
        TlsCertificateValidation.IsTrustedByCustomCa(roots, stranger, SslPolicyErrors.RemoteCertificateChainErrors).Should().BeFalse();
        TlsCertificateValidation.IsTrustedByCustomCa(roots, leaf, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)
            .Should().BeFalse("the host name must still match");
        strangerKey.Dispose();
    }

    [Fact]
    public void DefaultHandler_KeepsSystemValidationAndPoolsConnections()
    {
        using var handler = TlsCertificateValidation.CreateHandler(new ApplianceTlsOptions());
        handler.SslOptions.RemoteCertificateValidationCallback.Should().BeNull("no custom trust means the platform's full validation");
        handler.PooledConnectionLifetime.Should().Be(TimeSpan.FromMinutes(5));
    }
}
