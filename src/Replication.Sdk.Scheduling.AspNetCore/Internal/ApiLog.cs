using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>The API's and the dashboard's log messages.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Operator {Principal} {Action} {Target}: {Outcome} (through the {Channel})")]
    public static partial void OperatorAction(ILogger logger, string principal, string action, string target, AuditOutcome outcome, string channel);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "An unauthenticated request to {Action} {Target} was refused (through the {Channel}); it is not audited")]
    public static partial void AnonymousActionRefused(ILogger logger, string action, string target, string channel);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "The refusal of {Action} {Target} by the authorization policy could not be audited; the request was refused")]
    public static partial void ForbiddenAuditFailed(ILogger logger, Exception exception, string action, string target);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "A forbidden attempt of {Principal} to {Action} {Target} was not audited: more than the per-minute cap of this user")]
    public static partial void ForbiddenAuditSuppressed(ILogger logger, string principal, string action, string target);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The audit record of an operator action could not be written, so this line is its record: {RecordId} at {At:O}: {Principal} {Action} {Target}: {Outcome} (through the {Channel}); detail: {Detail}; execution: {ExecutionId}")]
    public static partial void AuditWriteFailed(ILogger logger, Exception exception, string recordId, DateTimeOffset at, string principal, string action, string target, AuditOutcome outcome, string channel, string detail, string executionId);
}
