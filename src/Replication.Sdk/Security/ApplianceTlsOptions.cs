namespace Replication.Sdk.Security;

/// <summary>
/// TLS settings for one appliance. Certificate verification is always on; these settings only say which
/// certificates to trust beyond the system store. There is deliberately no "accept any certificate" switch.
/// </summary>
public sealed class ApplianceTlsOptions
{
    /// <summary>Gets or sets a PEM file with the CA certificate(s) that issued the appliance's certificate (key <c>…:Tls:CaCertificatePath</c>).</summary>
    /// <remarks>The chain must build to one of these roots and the host name must match.</remarks>
    public string? CaCertificatePath { get; set; }

    /// <summary>Gets or sets the SHA-256 fingerprint of the appliance's own certificate, hex with optional colons (key <c>…:Tls:PinnedCertificateSha256</c>).</summary>
    /// <remarks>When set, exactly that certificate is accepted (suits a self-signed appliance certificate) and no other.</remarks>
    public string? PinnedCertificateSha256 { get; set; }
}
