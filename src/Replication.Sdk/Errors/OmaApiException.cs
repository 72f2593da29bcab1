using System.Net;

namespace Replication.Sdk;

/// <summary>The OMA answered with an error, in either of its JSON shapes (or as text when a proxy answered).</summary>
public class OmaApiException : ReplicationApiException
{
    /// <summary>Initializes a new instance of the <see cref="OmaApiException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="error">The <c>error</c> field.</param>
    /// <param name="details">The <c>details</c> field, when the shape has one.</param>
    /// <param name="timestamp">The <c>timestamp</c> field, when it parses.</param>
    /// <param name="rawBody">The body, trimmed and size-capped.</param>
    public OmaApiException(string endpoint, HttpStatusCode statusCode, string? error, string? details, DateTimeOffset? timestamp, string? rawBody)
        : base(ApplianceKind.Oma, endpoint, statusCode, error, details, rawBody)
    {
        Timestamp = timestamp;
    }

    /// <summary>Gets the OMA's timestamp for the error (its local offset or UTC, as sent).</summary>
    public DateTimeOffset? Timestamp { get; }
}

/// <summary>401 from the OMA, or a login the OMA refused. Never carries the token.</summary>
public sealed class OmaAuthenticationException : OmaApiException
{
    /// <summary>Initializes a new instance of the <see cref="OmaAuthenticationException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="error">The error text.</param>
    /// <param name="details">The details, if any.</param>
    /// <param name="timestamp">The timestamp, if any.</param>
    /// <param name="rawBody">The body, trimmed and size-capped.</param>
    public OmaAuthenticationException(string endpoint, HttpStatusCode statusCode, string? error, string? details, DateTimeOffset? timestamp, string? rawBody)
        : base(endpoint, statusCode, error, details, timestamp, rawBody)
    {
    }
}

/// <summary>404 from the OMA: the job or VM context does not exist (or no longer does).</summary>
public sealed class OmaNotFoundException : OmaApiException
{
    /// <summary>Initializes a new instance of the <see cref="OmaNotFoundException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="error">The error text.</param>
    /// <param name="details">The details, if any.</param>
    /// <param name="timestamp">The timestamp, if any.</param>
    /// <param name="rawBody">The body, trimmed and size-capped.</param>
    public OmaNotFoundException(string endpoint, string? error, string? details, DateTimeOffset? timestamp, string? rawBody)
        : base(endpoint, HttpStatusCode.NotFound, error, details, timestamp, rawBody)
    {
    }
}

/// <summary>409 <c>VM has active replication job</c>: the VM context's <c>current_job_id</c> is set.</summary>
/// <remarks>The OMA does not check that job's status; it may be terminal or gone (a stale job that needs operator clean-up).</remarks>
public sealed class OmaActiveJobConflictException : OmaApiException
{
    /// <summary>Initializes a new instance of the <see cref="OmaActiveJobConflictException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="error">The error text.</param>
    /// <param name="details">The details.</param>
    /// <param name="timestamp">The timestamp, if any.</param>
    /// <param name="rawBody">The body, trimmed and size-capped.</param>
    /// <param name="vmName">The VM name parsed from <paramref name="details"/>.</param>
    /// <param name="vmId">The VM id parsed from <paramref name="details"/>.</param>
    /// <param name="activeJobId">The active job id parsed from <paramref name="details"/>.</param>
    public OmaActiveJobConflictException(string endpoint, string? error, string? details, DateTimeOffset? timestamp, string? rawBody, string? vmName, string? vmId, string? activeJobId)
        : base(endpoint, HttpStatusCode.Conflict, error, details, timestamp, rawBody)
    {
        VmName = vmName;
        VmId = vmId;
        ActiveJobId = activeJobId;
    }

    /// <summary>Gets the VM name, when <see cref="ReplicationApiException.Details"/> could be parsed.</summary>
    public string? VmName { get; }

    /// <summary>Gets the VMware VM id, when <see cref="ReplicationApiException.Details"/> could be parsed.</summary>
    public string? VmId { get; }

    /// <summary>Gets the job id the OMA considers active, when <see cref="ReplicationApiException.Details"/> could be parsed.</summary>
    public string? ActiveJobId { get; }
}

/// <summary>409 <c>VM already exists in management</c> (create with <c>start_replication</c> false for a managed VM).</summary>
public sealed class OmaVmAlreadyManagedException : OmaApiException
{
    /// <summary>Initializes a new instance of the <see cref="OmaVmAlreadyManagedException"/> class.</summary>
    /// <param name="endpoint">The endpoint template.</param>
    /// <param name="error">The error text.</param>
    /// <param name="details">The details.</param>
    /// <param name="timestamp">The timestamp, if any.</param>
    /// <param name="rawBody">The body, trimmed and size-capped.</param>
    /// <param name="vmName">The VM name parsed from <paramref name="details"/>.</param>
    /// <param name="vmId">The VM id parsed from <paramref name="details"/>.</param>
    /// <param name="contextId">The existing context id parsed from <paramref name="details"/>.</param>
    public OmaVmAlreadyManagedException(string endpoint, string? error, string? details, DateTimeOffset? timestamp, string? rawBody, string? vmName, string? vmId, string? contextId)
        : base(endpoint, HttpStatusCode.Conflict, error, details, timestamp, rawBody)
    {
        VmName = vmName;
        VmId = vmId;
        ContextId = contextId;
    }

    /// <summary>Gets the VM name, when parsed.</summary>
    public string? VmName { get; }

    /// <summary>Gets the VMware VM id, when parsed.</summary>
    public string? VmId { get; }

    /// <summary>Gets the existing VM context id, when parsed.</summary>
    public string? ContextId { get; }
}
