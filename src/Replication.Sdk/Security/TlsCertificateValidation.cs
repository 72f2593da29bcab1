using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Replication.Sdk.Security;

/// <summary>Builds the primary handler of an appliance client: pooled connections and opt-in extra trust, never "trust all".</summary>
internal static class TlsCertificateValidation
{
    /// <summary>Connections are recycled so DNS changes (appliance fail-over) are picked up without a restart.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    public static SocketsHttpHandler CreateHandler(ApplianceTlsOptions tls)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };

        if (!string.IsNullOrWhiteSpace(tls.PinnedCertificateSha256))
        {
            var pin = NormalizeThumbprint(tls.PinnedCertificateSha256);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => IsPinnedMatch(pin, cert, errors);
        }
        else if (!string.IsNullOrWhiteSpace(tls.CaCertificatePath))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tls.CaCertificatePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => IsTrustedByCustomCa(roots, cert, errors);
        }

        return handler;
    }

    public static string NormalizeThumbprint(string value) =>
        value.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Accepts exactly the pinned certificate, whatever its chain (suits a self-signed appliance).</summary>
    public static bool IsPinnedMatch(string normalizedPin, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        var hash = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(normalizedPin));
    }

    /// <summary>Accepts a certificate the system trusts, or one whose chain builds to the configured roots; the host name must match either way.</summary>
    public static bool IsTrustedByCustomCa(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        // Appliance CAs are private and publish no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
