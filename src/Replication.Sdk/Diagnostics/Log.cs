using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Diagnostics;

/// <summary>Every log line of the clients. Message templates carry no secret: only hosts, endpoints, ids and statuses.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "{Appliance} {Endpoint} succeeded with {StatusCode} in {ElapsedMs} ms")]
    public static partial void CallSucceeded(ILogger logger, ApplianceKind appliance, string endpoint, int statusCode, long elapsedMs);

    [LoggerMessage(1001, LogLevel.Warning, "{Appliance} {Endpoint} failed ({Outcome}, {HttpStatus}) in {ElapsedMs} ms: {Reason}")]
    private static partial void CallFailedCore(ILogger logger, ApplianceKind appliance, string endpoint, string outcome, string httpStatus, long elapsedMs, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "{Appliance} {Endpoint} answered 404 in {ElapsedMs} ms: {Reason}")]
    public static partial void CallNotFound(ILogger logger, ApplianceKind appliance, string endpoint, long elapsedMs, string reason);

    [LoggerMessage(1002, LogLevel.Information, "{Appliance} {Endpoint} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, ApplianceKind appliance, string endpoint, int attempt, string reason, long delayMs);

    [LoggerMessage(1003, LogLevel.Information, "Discovered {VmCount} VMs in datacenter {Datacenter} on vCenter {VCenterHost} in {ElapsedMs} ms")]
    public static partial void Discovered(ILogger logger, int vmCount, string datacenter, string vCenterHost, long elapsedMs);

    [LoggerMessage(1004, LogLevel.Error, "Creating a replication job for VM {VmName} ({VmId}) on {VCenterHost}: outcome unknown after {ElapsedMs} ms ({Reason}); reconcile before resending")]
    public static partial void CreateOutcomeUnknown(ILogger logger, string vmName, string vmId, string vCenterHost, long elapsedMs, string reason);

    [LoggerMessage(1005, LogLevel.Information, "Created replication job {JobId} for VM {VmName} ({VmId})")]
    public static partial void JobCreated(ILogger logger, string jobId, string vmName, string vmId);

    [LoggerMessage(1010, LogLevel.Information, "Logged in to the OMA as appliance {ApplianceId}; the session expires at {ExpiresAt:O}")]
    public static partial void LoggedIn(ILogger logger, string applianceId, DateTimeOffset expiresAt);

    [LoggerMessage(1011, LogLevel.Information, "The OMA rejected the session token ({Error}); logging in again and replaying {Method} {Path}")]
    public static partial void SessionRejected(ILogger logger, string error, string method, string path);

    [LoggerMessage(1013, LogLevel.Warning, "The OMA rejected the session token of {Method} {Path} again after {Renewals} renewals; giving up")]
    public static partial void SessionRenewalsExhausted(ILogger logger, string method, string path, int renewals);

    [LoggerMessage(1012, LogLevel.Warning, "OMA login as appliance {ApplianceId} failed with status {StatusCode}: {Error}")]
    public static partial void LoginFailed(ILogger logger, string applianceId, int statusCode, string error);

    // A call that got no answer has no status: said in words, never "status (null)".
    public static void CallFailed(ILogger logger, ApplianceKind appliance, string endpoint, string outcome, int? statusCode, long elapsedMs, string reason) =>
        CallFailedCore(logger, appliance, endpoint, outcome, statusCode is { } code ? $"status {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "no HTTP status", elapsedMs, reason);

    [LoggerMessage(1020, LogLevel.Warning, "{Appliance} base address {BaseAddress} is plain http to a host that is not loopback ({Key} is true): credentials and tokens cross the network in clear text")]
    public static partial void InsecureHttpAllowed(ILogger logger, ApplianceKind appliance, string baseAddress, string key);

    [LoggerMessage(1021, LogLevel.Warning, "{Appliance} trusts its pinned TLS certificate on the fingerprint alone ({Key} is true): its chain, validity period, usage and host name are not checked")]
    public static partial void PinSkipsValidation(ILogger logger, ApplianceKind appliance, string key);
}
