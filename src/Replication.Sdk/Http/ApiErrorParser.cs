using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Replication.Sdk.Oma;
using Replication.Sdk.Serialization;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Http;

/// <summary>The one table that turns an appliance error answer into a typed exception.</summary>
internal static partial class ApiErrorParser
{
    internal const string ActiveJobError = "VM has active replication job";
    internal const string AlreadyManagedError = "VM already exists in management";

    // The compact opening Go's encoder gives the auth middleware's refusal.
    private const string CutExpiredTokenBody = "{\"error\":\"" + OmaConstants.ExpiredTokenError + "\"";

    public static VmaApiException Vma(string endpoint, HttpStatusCode status, string? text) =>
        new(endpoint, status, ClassifyVma(status, text), text);

    public static VmaErrorKind ClassifyVma(HttpStatusCode status, string? text)
    {
        text ??= "";
        switch (status)
        {
            case HttpStatusCode.BadRequest:
                return VmaErrorKind.BadRequest;
            case HttpStatusCode.NotFound:
                return VmaErrorKind.NotFound;
            case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout:
                return VmaErrorKind.Unavailable;
            case HttpStatusCode.InternalServerError:
                break;
            default:
                return VmaErrorKind.Other;
        }

        // Order matters: a login failure's text also says "failed to connect to vCenter".
        if (Contains(text, "failed to find datacenter") || (Contains(text, "datacenter '") && Contains(text, "not found")))
        {
            return VmaErrorKind.DatacenterNotFound;
        }

        if (Contains(text, "Login failure") || Contains(text, "incorrect user name or password") || Contains(text, "InvalidLogin")
            || Contains(text, "Cannot complete login"))
        {
            return VmaErrorKind.VCenterLoginFailed;
        }

        if (Contains(text, "deadline exceeded") || Contains(text, "timed out") || Contains(text, "i/o timeout") || Contains(text, "Client.Timeout"))
        {
            return VmaErrorKind.VCenterTimeout;
        }

        return Contains(text, "failed to connect to vCenter") ? VmaErrorKind.VCenterUnreachable : VmaErrorKind.Other;
    }

    public static OmaApiException Oma(string endpoint, HttpStatusCode status, string? body)
    {
        var (error, details, timestamp) = ReadOmaBody(body);
        if (status == HttpStatusCode.Unauthorized)
        {
            return new OmaAuthenticationException(endpoint, status, error, details, timestamp, body);
        }

        if (status == HttpStatusCode.NotFound)
        {
            return new OmaNotFoundException(endpoint, error, details, timestamp, body);
        }

        if (status == HttpStatusCode.Conflict && details is not null)
        {
            if (string.Equals(error, ActiveJobError, StringComparison.Ordinal))
            {
                var m = ActiveJobDetails().Match(details);
                return new OmaActiveJobConflictException(endpoint, error, details, timestamp, body,
                    Group(m, "name"), Group(m, "id"), Group(m, "job"));
            }

            if (string.Equals(error, AlreadyManagedError, StringComparison.Ordinal))
            {
                var m = AlreadyManagedDetails().Match(details);
                return new OmaVmAlreadyManagedException(endpoint, error, details, timestamp, body,
                    Group(m, "name"), Group(m, "id"), Group(m, "ctx"));
            }
        }

        return new OmaApiException(endpoint, status, error, details, timestamp, body);
    }

    /// <summary>Reads either OMA error shape; falls back to the text itself (a proxy or an unrouted path answers in text).</summary>
    /// <summary>
    /// Whether an OMA 401's error (as <see cref="ReadOmaBody"/> read it) is the auth middleware's <c>Invalid or expired
    /// token</c>: the session was lost. A body cut short in transit is no longer JSON, so its error is the raw text; its
    /// opening still names the refusal (the chaos soak saw such answers surface instead of being replayed).
    /// </summary>
    public static bool IsExpiredToken(string? error) =>
        error is not null
        && (string.Equals(error, OmaConstants.ExpiredTokenError, StringComparison.Ordinal)
            || error.StartsWith(CutExpiredTokenBody, StringComparison.Ordinal));

    public static (string? Error, string? Details, DateTimeOffset? Timestamp) ReadOmaBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                var parsed = JsonSerializer.Deserialize(body, ReplicationJsonContext.Default.OmaErrorWireBody);
                if (parsed is not null && (parsed.Error is not null || parsed.ErrorMessage is not null))
                {
                    DateTimeOffset? ts = parsed.Timestamp is not null && GoTimestampConverter.TryParse(parsed.Timestamp, out var t) ? t : null;
                    return (parsed.Error ?? parsed.ErrorMessage, parsed.Details, ts);
                }
            }
            catch (JsonException)
            {
                // Not one of the JSON shapes: keep the text.
            }
        }

        return (body.Trim(), null, null);
    }

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static string? Group(Match m, string name) => m.Success ? m.Groups[name].Value : null;

    // "VM '<name>' (<id>) already has active job: <job_id>"
    [GeneratedRegex(@"^VM '(?<name>.*)' \((?<id>[^)]*)\) already has active job: (?<job>\S+)\s*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ActiveJobDetails();

    // "VM '<name>' (<id>) is already managed with context ID: <context_id>"
    [GeneratedRegex(@"^VM '(?<name>.*)' \((?<id>[^)]*)\) is already managed with context ID: (?<ctx>\S+)\s*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AlreadyManagedDetails();
}
