namespace Replication.Sdk.Security;

/// <summary>
/// TLS settings for one appliance. Certificate verification is always on; these settings say which root to trust
/// instead of the system store and which exact certificate to require. There is deliberately no "accept any certificate" switch.
/// </summary>
public sealed class ApplianceTlsOptions
{
    /// <summary>Gets or sets a PEM file with the CA certificate(s) that issued the appliance's certificate (key <c>…:Tls:CaCertificatePath</c>).</summary>
    /// <remarks>
    /// These roots replace the system store as the only trust anchors. The chain is built with the intermediates the
    /// server presents; the certificate must be within its validity period, allow server authentication, and name the host.
    /// Revocation is not checked (the appliances' private CAs publish no revocation lists), as on the system path.
    /// </remarks>
    public string? CaCertificatePath { get; set; }

    /// <summary>Gets or sets the SHA-256 fingerprint of the appliance's own certificate, hex with optional colons (key <c>…:Tls:PinnedCertificateSha256</c>).</summary>
    /// <remarks>
    /// Checked in addition to the normal validation (system store, or <see cref="CaCertificatePath"/> when set): only that
    /// certificate is accepted, and it must still be trusted, valid now, usable for server authentication and name the host.
    /// </remarks>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the pinned certificate is trusted on its fingerprint alone (key
    /// <c>…:Tls:PinnedCertificateSkipsValidation</c>): no chain, validity period, usage or host-name check.
    /// </summary>
    /// <remarks>For a self-signed appliance certificate that is expired or names another host. Requires <see cref="PinnedCertificateSha256"/>; a warning is logged at start.</remarks>
    public bool PinnedCertificateSkipsValidation { get; set; }
}
