using Replication.Sdk.Security;

namespace Replication.Sdk;

/// <summary>
/// The appliance's TLS certificate was refused, so the connection was closed before any request byte (credentials,
/// tokens) was sent. Permanent: the call is not retried, because the same certificate will be refused again.
/// </summary>
/// <remarks>The message names the check that failed, never a credential or the configured pin.</remarks>
public sealed class ReplicationTlsException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationTlsException"/> class.</summary>
    /// <param name="appliance">The appliance called.</param>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="reason">The check that failed.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationTlsException(ApplianceKind appliance, string endpoint, TlsFailureReason reason, Exception? innerException)
        : base($"{appliance.ToString().ToUpperInvariant()} {endpoint}: the TLS certificate was refused ({reason}: {Describe(reason)}); nothing was sent and the call is not retried.", innerException)
    {
        Appliance = appliance;
        Endpoint = endpoint;
        Reason = reason;
    }

    /// <summary>Gets the appliance called.</summary>
    public ApplianceKind Appliance { get; }

    /// <summary>Gets the endpoint template.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the check that failed.</summary>
    public TlsFailureReason Reason { get; }

    private static string Describe(TlsFailureReason reason) => reason switch
    {
        TlsFailureReason.NoCertificate => "the server presented no certificate",
        TlsFailureReason.UntrustedRoot => "the chain does not build to a trusted root",
        TlsFailureReason.Expired => "the certificate has expired",
        TlsFailureReason.NotYetValid => "the certificate is not valid yet",
        TlsFailureReason.InvalidUsage => "the certificate is not valid for server authentication",
        TlsFailureReason.NameMismatch => "the certificate does not name the host of the base address",
        TlsFailureReason.InvalidChain => "the certificate chain is invalid",
        TlsFailureReason.PinMismatch => "the certificate is not the pinned one",
        _ => "the handshake failed",
    };
}
