using System.Net;

namespace Replication.Sdk;

/// <summary>
/// The appliance's answer is larger than the configured cap (<c>Replication:Vma:MaxResponseBytes</c> or
/// <c>Replication:Oma:MaxResponseBytes</c>); the SDK stopped reading it. Not retried: the same read would be as large.
/// </summary>
public sealed class ReplicationResponseTooLargeException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationResponseTooLargeException"/> class.</summary>
    /// <param name="appliance">The appliance that answered.</param>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="limitBytes">The cap that was exceeded.</param>
    public ReplicationResponseTooLargeException(ApplianceKind appliance, string endpoint, HttpStatusCode statusCode, long limitBytes)
        : base($"{appliance.ToString().ToUpperInvariant()} {endpoint} returned {(int)statusCode} with a body larger than the {limitBytes}-byte cap (Replication:{appliance}:MaxResponseBytes); it was not read")
    {
        Appliance = appliance;
        Endpoint = endpoint;
        StatusCode = statusCode;
        LimitBytes = limitBytes;
    }

    /// <summary>Gets the appliance that answered.</summary>
    public ApplianceKind Appliance { get; }

    /// <summary>Gets the endpoint template.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the cap that was exceeded, in bytes.</summary>
    public long LimitBytes { get; }
}
