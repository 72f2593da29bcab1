using System.Net;
using Replication.Sdk.Vma;

namespace Replication.Sdk;

/// <summary>The VMA answered with an error. VMA errors are <c>text/plain</c>; <see cref="Kind"/> classifies them.</summary>
public sealed class VmaApiException : ReplicationApiException
{
    /// <summary>Initializes a new instance of the <see cref="VmaApiException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="kind">The classification.</param>
    /// <param name="text">The text body, trimmed and size-capped.</param>
    public VmaApiException(string endpoint, HttpStatusCode statusCode, VmaErrorKind kind, string? text)
        : base(ApplianceKind.Vma, endpoint, statusCode, text, details: null, rawBody: text)
    {
        Kind = kind;
    }

    /// <summary>Gets the classification of the error.</summary>
    public VmaErrorKind Kind { get; }

    /// <summary>Gets a value indicating whether a retry may succeed: vCenter unreachable or timed out, or the VMA unavailable.</summary>
    public override bool IsTransient => Kind is VmaErrorKind.VCenterUnreachable or VmaErrorKind.VCenterTimeout or VmaErrorKind.Unavailable;
}
