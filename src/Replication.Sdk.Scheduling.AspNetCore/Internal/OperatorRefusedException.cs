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

    public static OperatorRefusedException NotAMember(string groupId, string contextId) => new(
        StatusCodes.Status404NotFound, "member-not-found", "Member not found", $"VM '{contextId}' is not a member of group '{groupId}'.");

    public static OperatorRefusedException NotFound(PauseTarget target) => new(
        StatusCodes.Status404NotFound, $"{Kind(target)}-not-found", $"{char.ToUpperInvariant(Kind(target)[0])}{Kind(target)[1..]} not found",
        $"No {Kind(target)} has the id '{target.Id}'{(target.Kind == PauseTargetKind.Vm ? " (a VM is named by its context id)" : "")}.");

    public static OperatorRefusedException PreconditionFailed(PauseTarget target, bool exists) => new(
        StatusCodes.Status412PreconditionFailed, "precondition-failed", "Precondition failed",
        exists
            ? $"{Capitalised(target)} has changed since the ETag sent in If-Match was read; nothing was written. Read it again, reapply the change and send its new ETag."
            : $"{Capitalised(target)} does not exist, so If-Match cannot hold; nothing was written.");

    public static OperatorRefusedException Invalid(string problemType, string message) => new(StatusCodes.Status400BadRequest, problemType, "Invalid request", message);

    public static OperatorRefusedException NotPaused(PauseTarget target) => new(
        StatusCodes.Status409Conflict, "not-paused", "Not paused", $"{Capitalised(target)} is not paused.");

    private static string Capitalised(PauseTarget target) => $"{char.ToUpperInvariant(target.ToString()[0])}{target.ToString()[1..]}";

    private static string Kind(PauseTarget target) => target.Kind switch
    {
        PauseTargetKind.Group => "group",
        PauseTargetKind.Vm => "vm",
        _ => "schedule",
    };
}
