using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>The kinds of server certificate the TLS matrix serves.</summary>
public enum ServedCertificate
{
    /// <summary>Issued by the root for localhost and 127.0.0.1, server authentication.</summary>
    Valid,

    /// <summary>As <see cref="Valid"/>, issued by an intermediate that the server sends along.</summary>
    ViaIntermediate,

    /// <summary>Issued by the root for another host.</summary>
    WrongHost,

    /// <summary>Issued by the root, ended yesterday.</summary>
    Expired,

    /// <summary>Issued by the root, starts tomorrow.</summary>
    NotYetValid,

    /// <summary>Issued by the root with client authentication as its only extended key usage.</summary>
    ClientAuthOnly,

    /// <summary>Issued by another CA for the right host.</summary>
    OtherCa,

    /// <summary>Self-signed for the right host.</summary>
    SelfSigned,
}

/// <summary>A root CA, an intermediate, another CA and one server certificate of each <see cref="ServedCertificate"/>, generated once.</summary>
internal sealed class TestCertificates : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private readonly Dictionary<ServedCertificate, (X509Certificate2 Leaf, X509Certificate2Collection Chain)> _served = [];

    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        Root = Ca("CN=Replication Test Root", null, now);
        Intermediate = Ca("CN=Replication Test Intermediate", Root, now);
        OtherRoot = Ca("CN=Some Other Root", null, now);
        Directory.CreateDirectory(WorkDirectory);
        RootPemPath = Path.Combine(WorkDirectory, "root.pem");
        File.WriteAllText(RootPemPath, Root.ExportCertificatePem());

        Add(ServedCertificate.Valid, Leaf(Root, "localhost", now.AddDays(-1), now.AddDays(30), ServerAuth), []);
        Add(ServedCertificate.ViaIntermediate, Leaf(Intermediate, "localhost", now.AddDays(-1), now.AddDays(30), ServerAuth), [Intermediate]);
        Add(ServedCertificate.WrongHost, Leaf(Root, "vma.corp.example", now.AddDays(-1), now.AddDays(30), ServerAuth), []);
        Add(ServedCertificate.Expired, Leaf(Root, "localhost", now.AddDays(-5), now.AddDays(-1), ServerAuth), []);
        Add(ServedCertificate.NotYetValid, Leaf(Root, "localhost", now.AddDays(1), now.AddDays(30), ServerAuth), []);
        Add(ServedCertificate.ClientAuthOnly, Leaf(Root, "localhost", now.AddDays(-1), now.AddDays(30), ClientAuth), []);
        Add(ServedCertificate.OtherCa, Leaf(OtherRoot, "localhost", now.AddDays(-1), now.AddDays(30), ServerAuth), []);
        Add(ServedCertificate.SelfSigned, Leaf(null, "localhost", now.AddDays(-1), now.AddDays(30), ServerAuth), []);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 OtherRoot { get; }

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "rsdk-tls-" + Guid.NewGuid().ToString("N"));

    public string RootPemPath { get; }

    public (X509Certificate2 Leaf, X509Certificate2Collection Chain) this[ServedCertificate kind] => _served[kind];

    public static string Sha256(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c))).ToLowerInvariant();

    public void Dispose()
    {
        foreach (var (leaf, _) in _served.Values)
        {
            leaf.Dispose();
        }

        Root.Dispose();
        Intermediate.Dispose();
        OtherRoot.Dispose();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    private static X509Certificate2 Ca(string subject, X509Certificate2? issuer, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, now.AddDays(-20), now.AddYears(4), Serial());
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Leaf(X509Certificate2? issuer, string host, DateTimeOffset notBefore, DateTimeOffset notAfter, string usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        if (host == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, notBefore, notAfter, Serial());
        return issued.CopyWithPrivateKey(key);
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);

    private void Add(ServedCertificate kind, X509Certificate2 leaf, X509Certificate2[] chain) => _served[kind] = (leaf, new X509Certificate2Collection(chain));
}
