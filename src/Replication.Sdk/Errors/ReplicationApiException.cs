using System.Net;

namespace Replication.Sdk;

/// <summary>An appliance answered with an error status. Carries the status and the appliance's own error text.</summary>
public class ReplicationApiException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationApiException"/> class.</summary>
    /// <param name="appliance">The appliance that answered.</param>
    /// <param name="endpoint">The endpoint template, e.g. <c>POST /api/v1/discover</c>.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="error">The appliance's error text (OMA <c>error</c>, or the VMA's text line).</param>
    /// <param name="details">The OMA <c>details</c>, when present.</param>
    /// <param name="rawBody">The response body, trimmed and size-capped. Never the request.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ReplicationApiException(
        ApplianceKind appliance,
        string endpoint,
        HttpStatusCode statusCode,
        string? error,
        string? details,
        string? rawBody,
        Exception? innerException = null)
        : base(BuildMessage(appliance, endpoint, statusCode, error, details), innerException)
    {
        Appliance = appliance;
        Endpoint = endpoint;
        StatusCode = statusCode;
        Error = error;
        Details = details;
        RawBody = rawBody;
    }

    /// <summary>Gets the appliance that answered.</summary>
    public ApplianceKind Appliance { get; }

    /// <summary>Gets the endpoint template, e.g. <c>POST /api/v1/replications</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Gets the HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the appliance's error text: the OMA's <c>error</c> field or the VMA's text body.</summary>
    public string? Error { get; }

    /// <summary>Gets the OMA's <c>details</c> field; <see langword="null"/> when the shape has none, possibly empty.</summary>
    public string? Details { get; }

    /// <summary>Gets the raw response body, trimmed and capped at 4 KiB.</summary>
    public string? RawBody { get; }

    /// <summary>Gets a value indicating whether retrying the same call later may succeed (408, 429, 502, 503, 504).</summary>
    public virtual bool IsTransient => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static string BuildMessage(ApplianceKind appliance, string endpoint, HttpStatusCode status, string? error, string? details)
    {
        var text = string.IsNullOrWhiteSpace(error) ? "no error text" : error;
        return string.IsNullOrWhiteSpace(details)
            ? $"{appliance.ToString().ToUpperInvariant()} {endpoint} returned {(int)status}: {text}"
            : $"{appliance.ToString().ToUpperInvariant()} {endpoint} returned {(int)status}: {text} ({details})";
    }
}
