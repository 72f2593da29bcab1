using Replication.Sdk.Security;

namespace Replication.Sdk.Vma;

/// <summary>Settings of the VMA client, bound from configuration section <c>Replication:Vma</c>.</summary>
public sealed class VmaClientOptions
{
    /// <summary>Gets or sets the VMA base address (key <c>Replication:Vma:BaseAddress</c>).</summary>
    /// <value>The default value is <c>http://localhost:9081/</c> (the OMA's end of the VMA tunnel).</value>
    public Uri BaseAddress { get; set; } = VmaConstants.DefaultBaseAddress;

    /// <summary>Gets or sets the timeout of one discovery attempt (key <c>Replication:Vma:DiscoveryAttemptTimeout</c>).</summary>
    /// <value>The default value is 120 seconds: a real discovery of about 100 VMs takes 14 to 30 seconds.</value>
    /// <remarks>Between 1 second and 30 minutes, and not above <see cref="DiscoveryTotalTimeout"/>.</remarks>
    public TimeSpan DiscoveryAttemptTimeout { get; set; } = VmaConstants.DefaultDiscoveryAttemptTimeout;

    /// <summary>Gets or sets the timeout of a whole discovery call, retries and delays included (key <c>Replication:Vma:DiscoveryTotalTimeout</c>).</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan DiscoveryTotalTimeout { get; set; } = VmaConstants.DefaultDiscoveryTotalTimeout;

    /// <summary>Gets or sets the timeout of one attempt of the other VMA calls (key <c>Replication:Vma:RequestTimeout</c>).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = VmaConstants.DefaultRequestTimeout;

    /// <summary>Gets or sets how many times a transient failure is retried (key <c>Replication:Vma:MaxRetryAttempts</c>).</summary>
    /// <value>The default value is 3 retries. Between 0 and 10.</value>
    /// <remarks>
    /// Transient: connection failures, 408, 429, 502 to 504, an attempt timeout, and 500s that say vCenter was
    /// unreachable or timed out. A vCenter login failure or an unknown datacenter is never retried.
    /// </remarks>
    public int MaxRetryAttempts { get; set; } = VmaConstants.DefaultMaxRetryAttempts;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff (key <c>Replication:Vma:RetryBaseDelay</c>).</summary>
    /// <value>The default value is 2 seconds. Between 0 and 5 minutes.</value>
    public TimeSpan RetryBaseDelay { get; set; } = VmaConstants.DefaultRetryBaseDelay;

    /// <summary>Gets or sets the largest answer the client reads, in bytes (key <c>Replication:Vma:MaxResponseBytes</c>).</summary>
    /// <value>The default value is 32 MiB (33,554,432 bytes): a discovery of 10,000 VMs with four disks and two NICs each is about 20 MB (the real capture is 0.9 KB per VM). Between 64 KiB and 1 GiB.</value>
    /// <remarks>
    /// A larger answer is refused with <see cref="ReplicationResponseTooLargeException"/> as soon as its size is known,
    /// without being read whole. Error bodies are read only as far as they are kept (4 KiB of text).
    /// </remarks>
    public long MaxResponseBytes { get; set; } = VmaConstants.DefaultMaxResponseBytes;

    /// <summary>Gets the vCenter credentials used by the default <see cref="Credentials.IVCenterCredentialProvider"/> (keys <c>Replication:Vma:VCenters:N:Host|Username|Password</c>).</summary>
    /// <remarks>A <c>Host</c> of <c>*</c> applies to every vCenter without an entry of its own. Keep passwords in environment variables or a secret store.</remarks>
    public IList<VCenterCredentialEntry> VCenters { get; } = [];

    /// <summary>Gets the TLS settings for an <c>https</c> base address (keys <c>Replication:Vma:Tls:*</c>).</summary>
    public ApplianceTlsOptions Tls { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether an <c>http</c> base address may name a host other than a loopback one
    /// (key <c>Replication:Vma:AllowInsecureHttp</c>).
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: plain http is accepted only for <c>localhost</c>, <c>127.0.0.0/8</c> and
    /// <c>::1</c> (the tunnel end), because the vCenter passwords of discovery would otherwise cross the network in clear text. When set, a warning
    /// naming the appliance is logged at start.
    /// </value>
    public bool AllowInsecureHttp { get; set; }
}

/// <summary>One vCenter's credentials in configuration.</summary>
public sealed class VCenterCredentialEntry
{
    /// <summary>Gets or sets the vCenter host as it appears in discovery requests, or <c>*</c> for any.</summary>
    public string Host { get; set; } = "";

    /// <summary>Gets or sets the user name.</summary>
    public string Username { get; set; } = "";

    /// <summary>Gets or sets the password.</summary>
    public string Password { get; set; } = "";

    /// <inheritdoc/>
    public override string ToString() => $"{Username}@{Host} (password redacted)";
}
