using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Wraps the host's authorization result handler so an operator action refused by the policy leaves a record: a signed-in
/// user the policy forbids (403) is audited as a <see cref="AuditOutcome.Refused"/> action, like a read-only refusal. An
/// anonymous request (401) is only logged: it has no one to name, and writing a row for every unauthenticated request
/// would let anyone grow the audit log. The response is the wrapped handler's, unchanged.
/// </summary>
internal sealed class AuditingAuthorizationResultHandler(
    IAuthorizationMiddlewareResultHandler inner, OperatorActions actions, ILogger<AuditingAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if ((authorizeResult.Forbidden || authorizeResult.Challenged)
            && context.GetEndpoint()?.Metadata.GetMetadata<OperatorActionMetadata>() is { } action)
        {
            var id = context.Request.RouteValues[action.IdRouteValue] as string ?? string.Empty;
            var target = action.Target(id).ToString();
            if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
            {
                try
                {
                    await actions.RecordForbiddenAsync(context.User, action.Channel, action.Action, action.Target(id)).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The request is refused either way; a sink that fails must not turn a 403 into a 500.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ApiLog.ForbiddenAuditFailed(logger, ex, action.Action, target);
                }
            }
            else
            {
                ApiLog.AnonymousActionRefused(logger, action.Action, target, action.Channel);
            }
        }

        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
