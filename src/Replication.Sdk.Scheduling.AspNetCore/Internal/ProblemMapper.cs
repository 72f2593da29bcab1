using Microsoft.AspNetCore.Mvc;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>One table from the SDK's typed exceptions to RFC 9457 problem details: 400 bad input, 404 missing, 409 state conflicts, 412 a stale If-Match.</summary>
internal static class ProblemMapper
{
    public static bool IsRefusal(Exception ex) => TryMap(ex) is not null;

    public static ProblemDetails? TryMap(Exception ex) => ex switch
    {
        OperatorRefusedException r => Create(r.StatusCode, r.ProblemType, r.Title, r.Message),
        ScheduleNotFoundException e => Create(StatusCodes.Status404NotFound, "schedule-not-found", "Schedule not found", e.Message, ("scheduleId", e.ScheduleId)),
        ExecutionNotFoundException e => Create(StatusCodes.Status404NotFound, "execution-not-found", "Execution not found", e.Message, ("executionId", e.ExecutionId)),
        ScheduleDisabledException e => Create(StatusCodes.Status409Conflict, "schedule-disabled", "Schedule disabled", e.Message, ("scheduleId", e.ScheduleId)),
        SchedulePausedException e => Create(StatusCodes.Status409Conflict, "schedule-paused", "Schedule paused", e.Message, ("scheduleId", e.ScheduleId)),
        AlreadyPausedException e => Create(StatusCodes.Status409Conflict, "already-paused", "Already paused", e.Message, ("target", e.Pause.Target.ToString())),
        InvalidPauseRequestException e => Create(StatusCodes.Status400BadRequest, "invalid-pause-request", "Invalid pause request", e.Message, ("parameter", e.ParameterName)),
        InvalidScheduleException e => WithProblems(Create(StatusCodes.Status400BadRequest, "invalid-schedule", "Invalid schedule", e.Message, ("scheduleId", e.ScheduleId)), e.Problems),
        ScheduleTargetNotFoundException e => Create(StatusCodes.Status404NotFound, $"{e.Target.Kind.ToString().ToLowerInvariant()}-not-found", $"{e.Target.Kind} not found", e.Message, ("target", e.Target.ToString())),
        ScheduleWritePreconditionFailedException e => Create(StatusCodes.Status412PreconditionFailed, "precondition-failed", "Precondition failed", e.Message, ("target", e.Target.ToString())),
        ScheduleWriteConflictException e => Create(StatusCodes.Status409Conflict, "write-conflict", "Write conflict", e.Message, ("id", e.Id)),
        InvalidIdException e => Create(StatusCodes.Status400BadRequest, "invalid-id", "Invalid id", e.Message, ("parameter", e.ParameterName)),
        ScheduleFormatException e => Create(StatusCodes.Status400BadRequest, "invalid-schedule", "Invalid schedule", e.Message),
        ArgumentException e => Create(StatusCodes.Status400BadRequest, "invalid-argument", "Invalid argument", e.Message),
        _ => null,
    };

    private static ProblemDetails WithProblems(ProblemDetails problem, IReadOnlyList<string> problems)
    {
        problem.Extensions["problems"] = problems;
        return problem;
    }

    public static ProblemDetails NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, $"{what}-not-found", $"{char.ToUpperInvariant(what[0])}{what[1..]} not found", $"No {what} has the id '{id}'.", ($"{what}Id", id));

    public static ProblemDetails Create(int status, string type, string title, string detail, params (string Key, string Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Type = ApiConstants.ProblemTypeBase + type, Title = title, Detail = detail };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}
