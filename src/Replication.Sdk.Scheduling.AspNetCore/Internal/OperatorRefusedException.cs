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

    public static OperatorRefusedException NotPaused(PauseTarget target) => new(
        StatusCodes.Status409Conflict, "not-paused", "Not paused", $"{char.ToUpperInvariant(target.ToString()[0])}{target.ToString()[1..]} is not paused.");
}
