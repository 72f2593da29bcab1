namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>An operator action the API refuses itself (read-only mode, a resume of what is not paused): mapped to a problem with its status.</summary>
internal sealed class OperatorRefusedException(int statusCode, string problemType, string title, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ProblemType { get; } = problemType;

    public string Title { get; } = title;

    public static OperatorRefusedException ReadOnly(string action) => new(
        StatusCodes.Status403Forbidden, "read-only", "The scheduling API is in read-only mode",
        $"The {action} was refused: the scheduling API is in read-only mode (ReplicationSchedulingApiOptions.ReadOnly).");

    public static OperatorRefusedException StoreReadOnly(string action) => new(
        StatusCodes.Status409Conflict, "store-read-only", "The schedule store is read-only",
        $"The {action} was refused: the configured schedule store does not take writes (for the MySQL store, set Replication:Scheduler:MySql:AllowScheduleWrites).");

    public static OperatorRefusedException NotFound(string what, string id) => new(
        StatusCodes.Status404NotFound, $"{what}-not-found", $"{char.ToUpperInvariant(what[0])}{what[1..]} not found", $"No {what} has the id '{id}'.");

    public static OperatorRefusedException NotAMember(string groupId, string contextId) => new(
        StatusCodes.Status404NotFound, "member-not-found", "Member not found", $"VM '{contextId}' is not a member of group '{groupId}'.");

    public static OperatorRefusedException NotPaused(PauseTarget target) => new(
        StatusCodes.Status409Conflict, "not-paused", "Not paused", $"{char.ToUpperInvariant(target.ToString()[0])}{target.ToString()[1..]} is not paused.");
}
