using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Replication.Sdk.Security;

/// <summary>Builds the primary handler of an appliance client: pooled connections and opt-in trust settings, never "trust all".</summary>
internal static class TlsCertificateValidation
{
    /// <summary>Connections are recycled so DNS changes (appliance fail-over) are picked up without a restart.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    public static SocketsHttpHandler CreateHandler(ApplianceTlsOptions tls)
    {
        var pin = string.IsNullOrWhiteSpace(tls.PinnedCertificateSha256) ? null : NormalizeThumbprint(tls.PinnedCertificateSha256);
        X509Certificate2Collection? roots = null;
        if (!string.IsNullOrWhiteSpace(tls.CaCertificatePath))
        {
            roots = [];
            roots.ImportFromPemFile(tls.CaCertificatePath);
        }

        var skipValidation = pin is not null && tls.PinnedCertificateSkipsValidation;
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            SslOptions =
            {
                // Installed on the system path too: it changes no decision there, it only names the failed check.
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    Evaluate(pin, skipValidation, roots, certificate, chain, errors) is { } reason
                        ? throw new TlsValidationFailedException(reason)
                        : true,
            },
        };
    }

    public static string NormalizeThumbprint(string value) =>
        value.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The check that refuses the certificate, or null to accept it.</summary>
    /// <remarks>
    /// A pin is checked first (a wrong certificate is said as such), then, unless the pin alone is trusted, the normal
    /// validation: the chain (system store, or the configured roots only), then the host name.
    /// </remarks>
    public static TlsFailureReason? Evaluate(
        string? normalizedPin, bool pinSkipsValidation, X509Certificate2Collection? roots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return TlsFailureReason.NoCertificate;
        }

        if (normalizedPin is not null)
        {
            if (!IsPinnedMatch(normalizedPin, certificate))
            {
                return TlsFailureReason.PinMismatch;
            }

            if (pinSkipsValidation)
            {
                return null;
            }
        }

        if (roots is not null)
        {
            return ValidateWithCustomRoots(roots, certificate, chain) ?? NameCheck(errors);
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return FromChainStatus(chain?.ChainStatus ?? [], chain);
        }

        return NameCheck(errors);
    }

    public static bool IsPinnedMatch(string normalizedPin, X509Certificate certificate)
    {
        var hash = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(normalizedPin));
    }

    /// <summary>
    /// Builds the chain as the system path does (server-authentication usage, validity now, no revocation check — the
    /// SslStream default) but with the configured roots as the only anchors and the server's intermediates as candidates.
    /// </summary>
    private static TlsFailureReason? ValidateWithCustomRoots(X509Certificate2Collection roots, X509Certificate certificate, X509Chain? presented)
    {
        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (presented is not null)
        {
            // SslStream puts the certificates the server sent into the ExtraStore of the chain it hands the callback.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain.Build(leaf) ? null : FromChainStatus(chain.ChainStatus, chain);
    }

    private static TlsFailureReason? NameCheck(SslPolicyErrors errors) =>
        errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? TlsFailureReason.NameMismatch : null;

    /// <summary>Trust first (whom the certificate comes from), then time, then usage: the order an operator fixes them in.</summary>
    private static TlsFailureReason FromChainStatus(X509ChainStatus[] status, X509Chain? chain)
    {
        var flags = status.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return TlsFailureReason.UntrustedRoot;
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            var now = DateTime.Now;
            var early = chain?.ChainElements.Any(e => e.Certificate.NotBefore > now) ?? false;
            return early ? TlsFailureReason.NotYetValid : TlsFailureReason.Expired;
        }

        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return TlsFailureReason.InvalidUsage;
        }

        return TlsFailureReason.InvalidChain;
    }
}
