using System.Net;

namespace Replication.Sdk;

/// <summary>The appliance answered with a success status but a body the SDK cannot read (malformed or truncated JSON, wrong shape).</summary>
public sealed class ReplicationResponseFormatException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationResponseFormatException"/> class.</summary>
    /// <param name="appliance">The appliance that answered.</param>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="problem">What is wrong with the body.</param>
    /// <param name="bodyExcerpt">The start of the body, size-capped.</param>
    /// <param name="innerException">The parser's exception.</param>
    public ReplicationResponseFormatException(ApplianceKind appliance, string endpoint, HttpStatusCode statusCode, string problem, string? bodyExcerpt, Exception? innerException)
        : base($"{appliance.ToString().ToUpperInvariant()} {endpoint} returned {(int)statusCode} with an unreadable body: {problem}", innerException)
    {
        Appliance = appliance;
        Endpoint = endpoint;
        StatusCode = statusCode;
        BodyExcerpt = bodyExcerpt;
    }

    /// <summary>Gets the appliance that answered.</summary>
    public ApplianceKind Appliance { get; }

    /// <summary>Gets the endpoint template.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the start of the body (at most 4 KiB).</summary>
    public string? BodyExcerpt { get; }
}
