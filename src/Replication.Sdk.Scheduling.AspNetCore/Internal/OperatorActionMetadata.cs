namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Marks an endpoint as an operator action, so a request the authorization policy forbids is audited as a refusal of that
/// action on that target (<see cref="AuditingAuthorizationResultHandler"/>).
/// </summary>
/// <param name="Action">The action (<c>trigger</c>, <c>pause</c>, <c>resume</c>, or a write such as <c>update-schedule</c>).</param>
/// <param name="Channel">Where it came from: <c>api</c> or <c>dashboard</c>.</param>
/// <param name="IdRouteValue">The route value naming the target's id.</param>
/// <param name="Target">Builds the target from that id.</param>
internal sealed record OperatorActionMetadata(string Action, string Channel, string IdRouteValue, Func<string, PauseTarget> Target);
