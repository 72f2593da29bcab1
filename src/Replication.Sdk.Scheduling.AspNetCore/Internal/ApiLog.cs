using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>The API's and the dashboard's log messages.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Operator {Principal} {Action} {Target}: {Outcome} (through the {Channel})")]
    public static partial void OperatorAction(ILogger logger, string principal, string action, string target, AuditOutcome outcome, string channel);
}
