using Replication.Sdk.Security;

namespace Replication.Sdk.Oma;

/// <summary>Settings of the OMA client, bound from configuration section <c>Replication:Oma</c>.</summary>
public sealed class OmaClientOptions
{
    /// <summary>Gets or sets the OMA base address (key <c>Replication:Oma:BaseAddress</c>).</summary>
    /// <value>The default value is <c>http://localhost:8082/</c>.</value>
    public Uri BaseAddress { get; set; } = OmaConstants.DefaultBaseAddress;

    /// <summary>Gets or sets the timeout of one attempt of a read or delete call (key <c>Replication:Oma:RequestTimeout</c>).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = OmaConstants.DefaultRequestTimeout;

    /// <summary>Gets or sets the timeout of <c>POST /api/v1/replications</c> (key <c>Replication:Oma:CreateTimeout</c>).</summary>
    /// <value>The default value is 180 seconds: the OMA provisions and attaches volumes inside the call.</value>
    /// <remarks>When it expires the outcome is unknown (<see cref="ReplicationOutcomeUnknownException"/>): the OMA finishes its work regardless.</remarks>
    public TimeSpan CreateTimeout { get; set; } = OmaConstants.DefaultCreateTimeout;

    /// <summary>Gets or sets how many times a transient failure of a read call is retried (key <c>Replication:Oma:MaxRetryAttempts</c>).</summary>
    /// <value>The default value is 3. Creates and deletes are never retried.</value>
    public int MaxRetryAttempts { get; set; } = OmaConstants.DefaultMaxRetryAttempts;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff for reads (key <c>Replication:Oma:RetryBaseDelay</c>).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = OmaConstants.DefaultRetryBaseDelay;

    /// <summary>Gets or sets the largest answer the client reads, in bytes (key <c>Replication:Oma:MaxResponseBytes</c>).</summary>
    /// <value>The default value is 32 MiB (33,554,432 bytes): the VM-context list of 10,000 VMs is about 12 MB. Between 64 KiB and 1 GiB.</value>
    /// <remarks>
    /// A larger answer is refused with <see cref="ReplicationResponseTooLargeException"/> as soon as its size is known,
    /// without being read whole. Error bodies are read only as far as they are kept (4 KiB of text).
    /// </remarks>
    public long MaxResponseBytes { get; set; } = OmaConstants.DefaultMaxResponseBytes;

    /// <summary>Gets the authentication settings (keys <c>Replication:Oma:Authentication:*</c>).</summary>
    public OmaAuthenticationOptions Authentication { get; } = new();

    /// <summary>Gets the TLS settings for an <c>https</c> base address (keys <c>Replication:Oma:Tls:*</c>).</summary>
    public ApplianceTlsOptions Tls { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether an <c>http</c> base address may name a host other than a loopback one
    /// (key <c>Replication:Oma:AllowInsecureHttp</c>).
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: plain http is accepted only for <c>localhost</c>, <c>127.0.0.0/8</c> and
    /// <c>::1</c> (the tunnel end), because the login token, bearer token and session token would otherwise cross the network in clear text. When set, a warning
    /// naming the appliance is logged at start.
    /// </value>
    public bool AllowInsecureHttp { get; set; }
}

/// <summary>How the SDK authenticates to the OMA.</summary>
public enum OmaAuthenticationMode
{
    /// <summary>No header (OMA started with <c>-auth=false</c>).</summary>
    None,

    /// <summary>A static bearer token from configuration or a secret provider.</summary>
    BearerToken,

    /// <summary><c>POST /api/v1/auth/login</c> with an appliance id and token; the session token is cached until it expires.</summary>
    Login,
}

/// <summary>OMA authentication settings used by the default <see cref="Credentials.IOmaCredentialProvider"/>.</summary>
public sealed class OmaAuthenticationOptions
{
    /// <summary>Gets or sets the mode (key <c>Replication:Oma:Authentication:Mode</c>).</summary>
    /// <value>The default value is <see cref="OmaAuthenticationMode.None"/>.</value>
    public OmaAuthenticationMode Mode { get; set; } = OmaAuthenticationMode.None;

    /// <summary>Gets or sets the static bearer token for <see cref="OmaAuthenticationMode.BearerToken"/> (key <c>Replication:Oma:Authentication:BearerToken</c>).</summary>
    public string? BearerToken { get; set; }

    /// <summary>Gets or sets the appliance id for <see cref="OmaAuthenticationMode.Login"/> (key <c>Replication:Oma:Authentication:ApplianceId</c>).</summary>
    public string? ApplianceId { get; set; }

    /// <summary>Gets or sets the login token for <see cref="OmaAuthenticationMode.Login"/> (key <c>Replication:Oma:Authentication:LoginToken</c>).</summary>
    public string? LoginToken { get; set; }

    /// <summary>Gets or sets the client version sent at login (key <c>Replication:Oma:Authentication:ClientVersion</c>).</summary>
    /// <value>The default value is <c>replication-sdk</c>.</value>
    public string ClientVersion { get; set; } = OmaConstants.DefaultClientVersion;

    /// <summary>Gets or sets how long before its expiry a session token is renewed (key <c>Replication:Oma:Authentication:RefreshBeforeExpiry</c>).</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan RefreshBeforeExpiry { get; set; } = OmaConstants.DefaultRefreshBeforeExpiry;
}
