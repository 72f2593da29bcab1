namespace Replication.Sdk.Security;

/// <summary>Which check refused an appliance's TLS certificate (see <see cref="ReplicationTlsException"/>).</summary>
public enum TlsFailureReason
{
    /// <summary>The TLS handshake failed for a reason other than the certificate checks below (protocol or cipher mismatch).</summary>
    HandshakeFailed = 0,

    /// <summary>The server presented no certificate.</summary>
    NoCertificate,

    /// <summary>The chain does not build to a trusted root: the system store, or the configured CA when <c>Tls:CaCertificatePath</c> is set.</summary>
    UntrustedRoot,

    /// <summary>The certificate (or one in its chain) has expired.</summary>
    Expired,

    /// <summary>The certificate (or one in its chain) is not valid yet.</summary>
    NotYetValid,

    /// <summary>The certificate is not valid for server authentication (its extended key usage lacks it).</summary>
    InvalidUsage,

    /// <summary>The certificate does not name the host of the base address.</summary>
    NameMismatch,

    /// <summary>The chain is invalid for another reason (a bad signature, a non-CA issuer, a broken constraint).</summary>
    InvalidChain,

    /// <summary>The certificate is not the one whose SHA-256 fingerprint is configured in <c>Tls:PinnedCertificateSha256</c>.</summary>
    PinMismatch,
}
