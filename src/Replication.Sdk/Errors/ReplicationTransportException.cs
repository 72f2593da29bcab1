namespace Replication.Sdk;

/// <summary>No usable answer arrived: connection refused or reset, TLS failure, or a timeout, after any retries.</summary>
/// <remarks>Never raised for the job-creating POST once the request may have been sent: that is <see cref="ReplicationOutcomeUnknownException"/>.</remarks>
public sealed class ReplicationTransportException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationTransportException"/> class.</summary>
    /// <param name="appliance">The appliance called.</param>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="isTimeout">Whether a timeout ended the call.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationTransportException(ApplianceKind appliance, string endpoint, bool isTimeout, Exception? innerException)
        : base(
            isTimeout
                ? $"{appliance.ToString().ToUpperInvariant()} {endpoint} timed out."
                : $"{appliance.ToString().ToUpperInvariant()} {endpoint} failed: {innerException?.Message ?? "transport error"}",
            innerException)
    {
        Appliance = appliance;
        Endpoint = endpoint;
        IsTimeout = isTimeout;
    }

    /// <summary>Gets the appliance called.</summary>
    public ApplianceKind Appliance { get; }

    /// <summary>Gets the endpoint template.</summary>
    public string Endpoint { get; }

    /// <summary>Gets a value indicating whether a timeout (attempt or total) ended the call.</summary>
    public bool IsTimeout { get; }
}
