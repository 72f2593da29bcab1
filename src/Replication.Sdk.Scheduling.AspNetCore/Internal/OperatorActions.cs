using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// The operator actions (trigger, pause, resume, and the writes of schedules, groups and memberships) of the API and the dashboard alike: each is refused in read-only mode and
/// each, whatever its outcome, leaves exactly one audit record naming who, what, when and how it ended (a signed-in user's
/// request the authorization policy forbids included: <see cref="AuditingAuthorizationResultHandler"/>).
/// </summary>
internal sealed class OperatorActions(
    IReplicationScheduler scheduler,
    IPauseControl pauses,
    IScheduleStore schedules,
    ForbiddenAuditThrottle throttle,
    IAuditSink audit,
    TimeProvider time,
    IOptions<ReplicationSchedulingApiOptions> options,
    ILogger<OperatorActions> logger,
    IScheduleEvaluator evaluator,
    IScheduleStoreWriter? writer = null)
{
    public const string TriggerAction = "trigger";
    public const string PauseAction = "pause";
    public const string ResumeAction = "resume";
    public const string UpdateScheduleAction = "update-schedule";
    public const string DeleteScheduleAction = "delete-schedule";
    public const string UpdateGroupAction = "update-group";
    public const string DeleteGroupAction = "delete-group";
    public const string AddMemberAction = "add-member";
    public const string RemoveMemberAction = "remove-member";

    /// <summary>Gets a value indicating whether the configured schedule store takes writes.</summary>
    public bool CanWrite => writer is not null;

    public async Task UpsertScheduleAsync(ClaimsPrincipal user, string channel, string scheduleId, ScheduleRequest? body, CancellationToken cancellationToken)
    {
        var who = PrincipalName(user);
        await RunAsync(who, channel, UpdateScheduleAction, PauseTarget.Schedule(scheduleId), body?.Name is { } name ? $"name '{name}'" : null, async () =>
        {
            var store = Writer(UpdateScheduleAction);
            await store.UpsertScheduleAsync(WriteRequestMapping.Schedule(scheduleId, body, evaluator), cancellationToken).ConfigureAwait(false);
            return (true, (string?)null);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteScheduleAsync(ClaimsPrincipal user, string channel, string scheduleId, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, DeleteScheduleAction, PauseTarget.Schedule(scheduleId), null, async () =>
        {
            var deleted = await Writer(DeleteScheduleAction).DeleteScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false);
            return deleted ? (true, (string?)null) : throw OperatorRefusedException.NotFound(PauseTarget.Schedule(scheduleId));
        }, cancellationToken);

    public Task UpsertGroupAsync(ClaimsPrincipal user, string channel, string groupId, GroupRequest? body, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, UpdateGroupAction, PauseTarget.Group(groupId), body?.ScheduleId is { Length: > 0 } s ? $"schedule '{s}'" : "no schedule", async () =>
        {
            var store = Writer(UpdateGroupAction);
            await store.UpsertGroupAsync(WriteRequestMapping.Group(groupId, body), cancellationToken).ConfigureAwait(false);
            return (true, (string?)null);
        }, cancellationToken);

    public Task DeleteGroupAsync(ClaimsPrincipal user, string channel, string groupId, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, DeleteGroupAction, PauseTarget.Group(groupId), null, async () =>
        {
            var deleted = await Writer(DeleteGroupAction).DeleteGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            return deleted ? (true, (string?)null) : throw OperatorRefusedException.NotFound(PauseTarget.Group(groupId));
        }, cancellationToken);

    public Task AddMemberAsync(ClaimsPrincipal user, string channel, string groupId, string contextId, MemberRequest? body, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, AddMemberAction, PauseTarget.Group(groupId), MemberDetail(contextId), async () =>
        {
            var store = Writer(AddMemberAction);
            await store.UpsertMembershipAsync(WriteRequestMapping.Member(groupId, contextId, body), cancellationToken).ConfigureAwait(false);
            return (true, (string?)null);
        }, cancellationToken);

    public Task RemoveMemberAsync(ClaimsPrincipal user, string channel, string groupId, string contextId, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, RemoveMemberAction, PauseTarget.Group(groupId), MemberDetail(contextId), async () =>
        {
            var removed = await Writer(RemoveMemberAction).RemoveMembershipAsync(groupId, contextId, cancellationToken).ConfigureAwait(false);
            return removed ? (true, (string?)null) : throw OperatorRefusedException.NotAMember(groupId, contextId);
        }, cancellationToken);

    /// <summary>The member named in an audit record (the record's target is the group).</summary>
    public static string MemberDetail(string contextId) => $"vm '{contextId}'";

    /// <summary>The longest trigger reason accepted, as long as a pause reason: it is recorded on the execution and its audit record.</summary>
    public const int MaxReasonLength = 2000;

    public async Task<string> TriggerAsync(ClaimsPrincipal user, string channel, string scheduleId, string? reason, bool force, CancellationToken cancellationToken)
    {
        var who = PrincipalName(user);
        var why = string.IsNullOrWhiteSpace(reason) ? $"triggered through the {channel}" : reason.Trim();
        var target = PauseTarget.Schedule(scheduleId);
        return await RunAsync(who, channel, TriggerAction, target, $"{why}{(force ? " (forced)" : "")}", async () =>
        {
            if (why.Length > MaxReasonLength)
            {
                throw OperatorRefusedException.Invalid("invalid-argument", $"The reason is {why.Length} characters long; at most {MaxReasonLength} are allowed.");
            }

            var id = await scheduler.TriggerAsync(scheduleId, why, who, force, cancellationToken).ConfigureAwait(false);
            return (id, (string?)id);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PauseState> PauseAsync(ClaimsPrincipal user, string channel, PauseTarget target, string? reason, DateTimeOffset? resumeAt, CancellationToken cancellationToken)
    {
        var who = PrincipalName(user);
        var why = string.IsNullOrWhiteSpace(reason) ? $"paused through the {channel}" : reason.Trim();
        return await RunAsync(who, channel, PauseAction, target, resumeAt is { } r ? $"{why} (until {r:O})" : why, async () =>
        {
            await EnsureExistsAsync(target, cancellationToken).ConfigureAwait(false);
            var pause = await pauses.PauseAsync(target, why, who, resumeAt, cancellationToken).ConfigureAwait(false);
            return (pause, (string?)null);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResumeReport> ResumeAsync(ClaimsPrincipal user, string channel, PauseTarget target, CancellationToken cancellationToken)
    {
        var who = PrincipalName(user);
        return await RunAsync(who, channel, ResumeAction, target, null, async () =>
        {
            var report = await pauses.ResumeAsync(target, who, cancellationToken).ConfigureAwait(false) ?? throw OperatorRefusedException.NotPaused(target);
            return (report, (string?)null);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Audits an action the authorization policy forbade the signed-in user (the request never reached the action), at
    /// most <see cref="ForbiddenAuditThrottle.PerMinute"/> a minute per user: a user without the role cannot flood the log.
    /// </summary>
    public async Task RecordForbiddenAsync(ClaimsPrincipal user, string channel, string action, PauseTarget target)
    {
        var who = PrincipalName(user);
        if (throttle.TryAdmit(who) is not { } suppressedBefore)
        {
            ApiLog.ForbiddenAuditSuppressed(logger, who, action, target.ToString());
            return;
        }

        var detail = $"forbidden: the user does not satisfy the authorization policy '{options.Value.AuthorizationPolicy}'";
        await WriteAsync(who, channel, action, target, AuditOutcome.Refused,
            suppressedBefore > 0 ? $"{detail} ({suppressedBefore} more forbidden attempts of this user were not recorded before this one)" : detail, null).ConfigureAwait(false);
    }

    /// <summary>Audits an action refused before it was attempted because the request itself is unacceptable (its body, its origin).</summary>
    public Task RecordRefusedAsync(ClaimsPrincipal user, string channel, string action, PauseTarget target, string why) =>
        WriteAsync(PrincipalName(user), channel, action, target, AuditOutcome.Refused, why, null);

    private IScheduleStoreWriter Writer(string action) => writer ?? throw OperatorRefusedException.StoreReadOnly(action);

    public static string PrincipalName(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name is { Length: > 0 } name ? name
            : user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } id ? id
            : "unknown";
    }

    /// <summary>A pause of a group or VM nobody has is refused: it would be listed, obeyed by nothing, and look like protection.</summary>
    private async Task EnsureExistsAsync(PauseTarget target, CancellationToken cancellationToken)
    {
        var exists = target.Kind switch
        {
            PauseTargetKind.Vm => (await schedules.GetVmContextsAsync([target.Id], cancellationToken).ConfigureAwait(false)).Count > 0,
            PauseTargetKind.Group => await GroupExistsAsync(target.Id, cancellationToken).ConfigureAwait(false),
            _ => true, // the pause control checks schedules itself (404 schedule-not-found)
        };
        if (!exists)
        {
            throw OperatorRefusedException.NotFound(target);
        }
    }

    private async Task<bool> GroupExistsAsync(string groupId, CancellationToken cancellationToken) =>
        await schedules.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false) is not null;

    private async Task<T> RunAsync<T>(string who, string channel, string action, PauseTarget target, string? detail, Func<Task<(T Result, string? ExecutionId)>> act, CancellationToken cancellationToken)
    {
        if (options.Value.ReadOnly)
        {
            var refused = OperatorRefusedException.ReadOnly(action);
            await WriteAsync(who, channel, action, target, AuditOutcome.Refused, refused.Message, null).ConfigureAwait(false);
            throw refused;
        }

        try
        {
            var (result, executionId) = await act().ConfigureAwait(false);
            await WriteAsync(who, channel, action, target, AuditOutcome.Succeeded, executionId is null ? detail : $"{detail}; execution {executionId}", executionId).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (ProblemMapper.IsRefusal(ex))
        {
            await WriteAsync(who, channel, action, target, AuditOutcome.Refused, ex.Message, null).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await WriteAsync(who, channel, action, target, AuditOutcome.Failed, ex.Message, null).ConfigureAwait(false);
            throw;
        }
    }

    private async Task WriteAsync(string who, string channel, string action, PauseTarget target, AuditOutcome outcome, string? detail, string? executionId)
    {
        var record = new AuditRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            At = time.GetUtcNow(),
            Principal = who,
            Action = action,
            Target = target.ToString(),
            Outcome = outcome,
            Detail = detail,
            ExecutionId = executionId,
            Channel = channel,
        };

        // Not the request's token: the action has happened (or was refused), so its record is written even if the client left.
        await audit.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        ApiLog.OperatorAction(logger, who, action, record.Target, outcome, channel);
    }
}
