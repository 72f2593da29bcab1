using System.Security.Claims;
using Replication.Sdk.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

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

    // No lock of this instance's own around the writes: an If-Match is the store's precondition, checked atomically with
    // the write by the store for every writer of it (IScheduleStoreWriter), which a lock here could not do across
    // instances and so would not add to. (It once serialized this instance's check and write; the store does that now.)

    /// <summary>Gets a value indicating whether the API is in read-only mode (every action refused).</summary>
    public bool IsReadOnly => options.Value.ReadOnly;

    /// <summary>Gets a value indicating whether the configured schedule store takes writes.</summary>
    public bool CanWrite => writer is not null;

    /// <summary>Creates or replaces a schedule, if <paramref name="ifMatch"/> (when sent) holds; returns the ETag of what is stored now.</summary>
    public async Task<string?> UpsertScheduleAsync(ClaimsPrincipal user, string channel, string scheduleId, ScheduleRequest? body, IList<EntityTagHeaderValue>? ifMatch, CancellationToken cancellationToken)
    {
        var who = PrincipalName(user);
        var target = PauseTarget.Schedule(scheduleId);
        return await RunAsync(who, channel, UpdateScheduleAction, target, body?.Name is { } name ? $"name '{name}'" : null, async () =>
        {
            var schedule = WriteRequestMapping.Schedule(scheduleId, body, evaluator);
            var store = Writer(UpdateScheduleAction);
            await ConditionallyAsync<ReplicationSchedule>(ifMatch, target, EntityTags.Of, async precondition =>
            {
                await (precondition is null ? store.UpsertScheduleAsync(schedule, cancellationToken) : store.UpsertScheduleAsync(schedule, precondition, cancellationToken)).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            var tag = await ScheduleTagAsync(scheduleId, cancellationToken).ConfigureAwait(false);
            return (tag, (string?)null);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteScheduleAsync(ClaimsPrincipal user, string channel, string scheduleId, IList<EntityTagHeaderValue>? ifMatch, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, DeleteScheduleAction, PauseTarget.Schedule(scheduleId), null, async () =>
        {
            var store = Writer(DeleteScheduleAction);
            var deleted = await ConditionallyAsync<ReplicationSchedule>(ifMatch, PauseTarget.Schedule(scheduleId), EntityTags.Of, precondition =>
                precondition is null ? store.DeleteScheduleAsync(scheduleId, cancellationToken) : store.DeleteScheduleAsync(scheduleId, precondition, cancellationToken)).ConfigureAwait(false);
            return deleted ? (true, (string?)null) : throw OperatorRefusedException.NotFound(PauseTarget.Schedule(scheduleId));
        }, cancellationToken);

    /// <summary>Creates or replaces a group, if <paramref name="ifMatch"/> (when sent) holds; returns the ETag of what is stored now.</summary>
    public Task<string?> UpsertGroupAsync(ClaimsPrincipal user, string channel, string groupId, GroupRequest? body, IList<EntityTagHeaderValue>? ifMatch, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, UpdateGroupAction, PauseTarget.Group(groupId), body?.ScheduleId is { Length: > 0 } s ? $"schedule '{s}'" : "no schedule", async () =>
        {
            var group = WriteRequestMapping.Group(groupId, body);
            var store = Writer(UpdateGroupAction);
            await ConditionallyAsync<MachineGroup>(ifMatch, PauseTarget.Group(groupId), EntityTags.Of, async precondition =>
            {
                await (precondition is null ? store.UpsertGroupAsync(group, cancellationToken) : store.UpsertGroupAsync(group, precondition, cancellationToken)).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            var tag = await GroupTagAsync(groupId, cancellationToken).ConfigureAwait(false);
            return (tag, (string?)null);
        }, cancellationToken);

    public Task DeleteGroupAsync(ClaimsPrincipal user, string channel, string groupId, IList<EntityTagHeaderValue>? ifMatch, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, DeleteGroupAction, PauseTarget.Group(groupId), null, async () =>
        {
            var store = Writer(DeleteGroupAction);
            var deleted = await ConditionallyAsync<MachineGroup>(ifMatch, PauseTarget.Group(groupId), EntityTags.Of, precondition =>
                precondition is null ? store.DeleteGroupAsync(groupId, cancellationToken) : store.DeleteGroupAsync(groupId, precondition, cancellationToken)).ConfigureAwait(false);
            return deleted ? (true, (string?)null) : throw OperatorRefusedException.NotFound(PauseTarget.Group(groupId));
        }, cancellationToken);

    /// <summary>The ETag of a schedule's stored settings, or <see langword="null"/> when there is no such schedule.</summary>
    public async Task<string?> ScheduleTagAsync(string scheduleId, CancellationToken cancellationToken) =>
        EntityTags.Of(await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The ETag of a group's stored settings as <see cref="IScheduleStore.GetGroupAsync"/> reads them, or <see langword="null"/>
    /// when it finds none (a store on the interface's default finds no group of no schedule, so a conditional write of one
    /// is refused with 412).
    /// </summary>
    public async Task<string?> GroupTagAsync(string groupId, CancellationToken cancellationToken) =>
        EntityTags.Of(await FindGroupAsync(groupId, cancellationToken).ConfigureAwait(false));

    public Task AddMemberAsync(ClaimsPrincipal user, string channel, string groupId, string contextId, MemberRequest? body, CancellationToken cancellationToken) =>
        RunAsync(PrincipalName(user), channel, AddMemberAction, PauseTarget.Group(groupId), MemberDetail(contextId), async () =>
        {
            var membership = WriteRequestMapping.Member(groupId, contextId, body);
            var store = Writer(AddMemberAction);
            await store.UpsertMembershipAsync(membership, cancellationToken).ConfigureAwait(false);
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
        await FindGroupAsync(groupId, cancellationToken).ConfigureAwait(false) is not null;

    private Task<MachineGroup?> FindGroupAsync(string groupId, CancellationToken cancellationToken) => schedules.GetGroupAsync(groupId, cancellationToken);

    /// <summary>
    /// Makes a write of a schedule or a group: unconditional without <paramref name="ifMatch"/> (<paramref name="write"/> is
    /// given no precondition), else on the store's precondition that <paramref name="ifMatch"/> holds for the tag of what it
    /// holds now, checked by the store atomically with the write; refused with 412 when it does not.
    /// </summary>
    private static async Task<bool> ConditionallyAsync<TEntity>(
        IList<EntityTagHeaderValue>? ifMatch, PauseTarget target, Func<TEntity?, string?> tagOf, Func<Func<TEntity?, bool>?, Task<bool>> write)
    {
        try
        {
            return await write(ifMatch is null ? null : current => EntityTags.Matches(ifMatch, tagOf(current))).ConfigureAwait(false);
        }
        catch (ScheduleWritePreconditionFailedException ex)
        {
            throw OperatorRefusedException.PreconditionFailed(target, ex.Exists);
        }
    }

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

    /// <summary>How many times an audit record is offered to the sink before it is logged instead.</summary>
    internal const int AuditWriteAttempts = 3;

    private async Task WriteAsync(string who, string channel, string action, PauseTarget target, AuditOutcome outcome, string? detail, string? executionId)
    {
        var record = new AuditRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            At = time.GetUtcNow(),
            // Ids and texts come from the request: escaped, so a record (and what shows or exports it) holds one line each.
            Principal = SafeText.Escape(who),
            Action = action,
            Target = SafeText.Escape(target.ToString()),
            Outcome = outcome,
            Detail = SafeText.EscapeOrNull(detail),
            ExecutionId = executionId,
            Channel = channel,
        };

        ApiLog.OperatorAction(logger, record.Principal, action, record.Target, outcome, channel);

        // Not the request's token: the action has happened (or was refused), so its record is written even if the client
        // left. A sink that keeps failing cannot undo the action, and a 500 for an action that happened invites a client
        // to do it twice: the action's answer stands, and the record goes to the log in full (event 4005).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await audit.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Whatever the sink throws, the record must land somewhere.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (attempt >= AuditWriteAttempts)
                {
                    ApiLog.AuditWriteFailed(logger, ex, record.Id, record.At, record.Principal, action, record.Target, outcome, channel, record.Detail ?? "-", executionId ?? "-");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
