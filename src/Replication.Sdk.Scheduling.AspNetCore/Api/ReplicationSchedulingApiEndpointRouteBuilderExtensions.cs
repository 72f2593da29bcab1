using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the scheduling management API.</summary>
public static class ReplicationSchedulingApiEndpointRouteBuilderExtensions
{
    private const string Channel = "api";

    /// <summary>
    /// Maps the scheduling management API under <paramref name="prefix"/>: schedules, groups, executions, VMs, pauses,
    /// preview, the audit log, and the operator actions trigger, pause and resume, and the writes of schedules, groups and
    /// memberships (refused with 409 <c>store-read-only</c> where the schedule store takes none). Every endpoint requires
    /// <see cref="ReplicationSchedulingApiOptions.AuthorizationPolicy"/>; errors are RFC 9457 problem details; the OpenAPI
    /// document is served at <c>{prefix}/openapi/replication-scheduling.json</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix; <c>/api/replication</c> by default.</param>
    /// <returns>The route group, to add conventions (rate limiting, CORS) to every endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddReplicationSchedulingApi</c> was not called, or the policy it names is not defined.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (no policy named, a limit out of range).</exception>
    public static RouteGroupBuilder MapReplicationSchedulingApi(this IEndpointRouteBuilder endpoints, string prefix = "/api/replication")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var options = MappingGuard.Check(endpoints.ServiceProvider, nameof(MapReplicationSchedulingApi));

        var api = endpoints.MapGroup(prefix)
            .RequireAuthorization(options.AuthorizationPolicy!)
            .WithGroupName(ApiConstants.OpenApiDocumentName)
            .WithTags("Replication scheduling")
            .AddEndpointFilter<ProblemEndpointFilter>()
            .AnswerHeadLikeGet()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .DisableCookieRedirect();

        api.MapOpenApi("/openapi/{documentName}.json");

        api.MapGet("/schedules", async (SchedulingReader reader, CancellationToken ct) => TypedResults.Ok(await reader.GetSchedulesAsync(ct)))
            .WithName("ListSchedules").WithSummary("Lists the schedules with their next occurrences (UTC and local), pause and RPO state.");

        api.MapGet("/schedules/{scheduleId}", (string scheduleId, HttpContext http, OperatorActions actions, SchedulingReader reader, CancellationToken ct) =>
                WithTagAsync(http, "schedule", scheduleId, actions.ScheduleTagAsync, reader.GetScheduleAsync, ct))
            .ProducesProblem(StatusCodes.Status404NotFound).AnswersTag()
            .WithName("GetSchedule").WithSummary("Gets a schedule: settings, next occurrences, groups with their members, recent executions; its ETag (of the settings) is what a write's If-Match names.");

        api.MapGet("/schedules/{scheduleId}/groups", async Task<Results<Ok<IReadOnlyList<GroupView>>, ProblemHttpResult>> (string scheduleId, SchedulingReader reader, CancellationToken ct) =>
                await reader.GetGroupsAsync(scheduleId, ct) is { } g ? TypedResults.Ok(g) : TypedResults.Problem(ProblemMapper.NotFound("schedule", scheduleId)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListGroups").WithSummary("Lists a schedule's groups with their memberships, pause and RPO state.");

        api.MapGet("/groups", async (SchedulingReader reader, CancellationToken ct) => TypedResults.Ok(await reader.GetAllGroupsAsync(ct)))
            .WithName("ListAllGroups").WithSummary("Lists every machine group, those with no schedule included (a deleted schedule's groups stay), with member counts and pause state.");

        api.MapGet("/groups/{groupId}", (string groupId, HttpContext http, OperatorActions actions, SchedulingReader reader, CancellationToken ct) =>
                WithTagAsync(http, "group", groupId, actions.GroupTagAsync, reader.GetGroupAsync, ct))
            .ProducesProblem(StatusCodes.Status404NotFound).AnswersTag()
            .WithName("GetGroup").WithSummary("Gets a machine group, whatever its schedule (or none), with its memberships, pause and RPO state; its ETag (of the settings) is what a write's If-Match names.");

        api.MapGet("/schedules/{scheduleId}/preview", async (string scheduleId, string? from, string? until, IReplicationScheduler scheduler, SchedulingReader reader, CancellationToken ct) =>
            {
                var (start, end, problem) = PreviewRange(from, until, reader.Now);
                return problem is not null ? (IResult)TypedResults.Problem(problem) : TypedResults.Json(await scheduler.PreviewAsync(scheduleId, start, end, ct), ApiJson.Default.SchedulePreview);
            })
            .Produces<SchedulePreview>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("PreviewSchedule").WithSummary("Previews what a schedule would do in [from, until) (default: the next 7 days); calls no appliance.");

        api.MapGet("/preview", async (string? from, string? until, IReplicationScheduler scheduler, SchedulingReader reader, CancellationToken ct) =>
            {
                var (start, end, problem) = PreviewRange(from, until, reader.Now);
                return problem is not null ? (IResult)TypedResults.Problem(problem) : TypedResults.Json(await scheduler.PreviewAsync(start, end, ct), ApiJson.Default.IReadOnlyListSchedulePreview);
            })
            .Produces<IReadOnlyList<SchedulePreview>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("PreviewSchedules").WithSummary("Previews every schedule in [from, until) (default: the next 7 days).");

        api.MapGet("/schedules/{scheduleId}/forecast", async (string scheduleId, string? horizon, IRpoForecaster forecaster, CancellationToken ct) =>
            {
                var (span, problem) = Horizon(horizon);
                return problem is not null ? (IResult)TypedResults.Problem(problem) : TypedResults.Json(await forecaster.ForecastAsync(scheduleId, span, ct), ApiJson.Default.RpoForecast);
            })
            .Produces<RpoForecast>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ForecastSchedule").WithSummary("Forecasts whether a schedule's RPO target is attainable over a horizon (default 24 h, at most 31 days): per VM the worst age and compliance, per group attainable.");

        api.MapGet("/schedules/{scheduleId}/rpo", async (string scheduleId, IRpoForecaster forecaster, CancellationToken ct) => TypedResults.Json(await forecaster.GetStatusAsync(scheduleId, ct), ApiJson.Default.IReadOnlyListRpoStatus))
            .Produces<IReadOnlyList<RpoStatus>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetRpoStatus").WithSummary("Gets each VM's RPO state (Meeting, AtRisk, Breached) with its age, last good job, predicted next start and compliance.");

        api.MapGet("/executions", async (
                string? scheduleId, string? status, string? trigger, string? from, string? until, string? vm, string? failedOnly, string? page, string? pageSize,
                HttpContext http, SchedulingReader reader, CancellationToken ct) =>
            {
                var (query, problem) = ParseQuery(http.Request.Query, scheduleId, status, trigger, from, until, vm, failedOnly, page, pageSize, options.MaxPageSize);
                return problem is not null ? (IResult)TypedResults.Problem(problem) : TypedResults.Ok(await reader.GetExecutionsAsync(query!, ct));
            })
            .Produces<PageView<ExecutionSummaryView>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("ListExecutions").WithSummary("Lists executions newest first, filtered (schedule, status, trigger kind, started in [from, until), VM, failures only) and paged (page from 1).");

        api.MapGet("/executions/{executionId}", async Task<Results<Ok<ExecutionDetailView>, ProblemHttpResult>> (string executionId, SchedulingReader reader, CancellationToken ct) =>
                await reader.GetExecutionAsync(executionId, ct) is { } e ? TypedResults.Ok(e) : TypedResults.Problem(ProblemMapper.NotFound("execution", executionId)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetExecution").WithSummary("Gets an execution with every VM's outcome, reason, drift and job id.");

        api.MapGet("/vms/{contextId}", async Task<Results<Ok<VmView>, ProblemHttpResult>> (string contextId, SchedulingReader reader, CancellationToken ct) =>
                await reader.GetVmAsync(contextId, ct) is { } v ? TypedResults.Ok(v) : TypedResults.Problem(ProblemMapper.NotFound("vm", contextId)))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetVm").WithSummary("Gets a VM context: memberships, job history and RPO age.");

        api.MapGet("/pauses", async (SchedulingReader reader, CancellationToken ct) => TypedResults.Ok(await reader.GetPausesAsync(ct)))
            .WithName("ListPauses").WithSummary("Lists the pauses in force.");

        api.MapGet("/audit", async (string? limit, IAuditSink audit, CancellationToken ct) =>
            {
                var n = 100;
                return limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > 1000)
                    ? (IResult)TypedResults.Problem(ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-argument", "Invalid argument", $"limit must be a whole number between 1 and 1000; was '{limit}'."))
                    : TypedResults.Json(await audit.GetRecentAsync(n, ct), ApiJson.Default.IReadOnlyListAuditRecord);
            })
            .Produces<IReadOnlyList<AuditRecord>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("ListAudit").WithSummary("Lists the newest operator actions, newest first.");

        api.MapPost("/schedules/{scheduleId}/trigger", (string scheduleId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.TriggerAction, PauseTarget.Schedule(scheduleId), ApiJson.Default.TriggerRequest, new TriggerRequest(null, false), async body =>
                {
                    var id = await actions.TriggerAsync(http.User, Channel, scheduleId, body.Reason, body.Force, ct);
                    return TypedResults.Accepted($"{prefix.TrimEnd('/')}/executions/{Uri.EscapeDataString(id)}", new TriggerResponse(id, scheduleId, body.Force));
                }))
            .ReadsBody<TriggerRequest>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces<TriggerResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new OperatorActionMetadata(OperatorActions.TriggerAction, Channel, "scheduleId", PauseTarget.Schedule))
            .WithName("TriggerSchedule").WithSummary("Runs a schedule now (with force, whatever its overlap policy says); audited.");

        MapWrites(api);
        MapPauseActions(api, "schedules", "scheduleId", PauseTarget.Schedule);
        MapPauseActions(api, "groups", "groupId", PauseTarget.Group);
        MapPauseActions(api, "vms", "contextId", PauseTarget.Vm);
        return api;
    }

    /// <summary>
    /// A read of one schedule or group with the ETag of its stored settings. The tag is read before the view: a write
    /// between them leaves the tag older than the view, so an If-Match with it fails rather than overwrite an edit its
    /// client has not seen.
    /// </summary>
    private static async Task<Results<Ok<TView>, ProblemHttpResult>> WithTagAsync<TView>(
        HttpContext http, string kind, string id, Func<string, CancellationToken, Task<string?>> tagOf, Func<string, CancellationToken, Task<TView?>> read, CancellationToken ct)
        where TView : class
    {
        var tag = await tagOf(id, ct);
        if (await read(id, ct) is not { } view)
        {
            return TypedResults.Problem(ProblemMapper.NotFound(kind, id));
        }

        EntityTags.Set(http.Response, tag);
        return TypedResults.Ok(view);
    }

    /// <summary>The writes of schedules, groups and memberships: operator actions, refused where the store is read-only (see <see cref="IScheduleStoreWriter"/>).</summary>
    private static void MapWrites(RouteGroupBuilder api)
    {
        Write(api.MapPut("/schedules/{scheduleId}", (string scheduleId, HttpContext http, OperatorActions actions, SchedulingReader reader, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.UpdateScheduleAction, PauseTarget.Schedule(scheduleId), ApiJson.Default.ScheduleRequest, ScheduleRequest.Empty, async body =>
                {
                    EntityTags.Set(http.Response, await actions.UpsertScheduleAsync(http.User, Channel, scheduleId, body, EntityTags.IfMatch(http.Request), ct));
                    return await reader.GetScheduleAsync(scheduleId, ct) is { } s ? TypedResults.Ok(s) : (IResult)TypedResults.Problem(ProblemMapper.NotFound("schedule", scheduleId));
                })),
            OperatorActions.UpdateScheduleAction, "scheduleId", PauseTarget.Schedule, "PutSchedule",
            "Creates or replaces a schedule (settings left out take their defaults); checked as the scheduler checks it; with If-Match, only if its ETag matches (412 otherwise); audited.")
            .ReadsBody<ScheduleRequest>(required: true).Produces<ScheduleDetailView>().ProducesProblem(StatusCodes.Status412PreconditionFailed).Conditional(answersTag: true);

        Write(api.MapDelete("/schedules/{scheduleId}", (string scheduleId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.DeleteScheduleAction, PauseTarget.Schedule(scheduleId), ApiJson.Default.TriggerRequest, new TriggerRequest(null, false), _ =>
                    NoContent(actions.DeleteScheduleAsync(http.User, Channel, scheduleId, EntityTags.IfMatch(http.Request), ct)))),
            OperatorActions.DeleteScheduleAction, "scheduleId", PauseTarget.Schedule, "DeleteSchedule", "Deletes a schedule; its groups stay, with no schedule; with If-Match, only if its ETag matches (412 otherwise); audited.")
            .ReadsBody<ResumeRequest>().Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status412PreconditionFailed).Conditional(answersTag: false);

        Write(api.MapPut("/groups/{groupId}", (string groupId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.UpdateGroupAction, PauseTarget.Group(groupId), ApiJson.Default.GroupRequest, new GroupRequest(null, null, null, null, null, null), async body =>
                {
                    EntityTags.Set(http.Response, await actions.UpsertGroupAsync(http.User, Channel, groupId, body, EntityTags.IfMatch(http.Request), ct));
                    return TypedResults.NoContent();
                })),
            OperatorActions.UpdateGroupAction, "groupId", PauseTarget.Group, "PutGroup", "Creates or replaces a machine group (of a schedule, or of none); with If-Match, only if its ETag matches (412 otherwise); audited.")
            .ReadsBody<GroupRequest>(required: true).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status412PreconditionFailed).Conditional(answersTag: true);

        Write(api.MapDelete("/groups/{groupId}", (string groupId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.DeleteGroupAction, PauseTarget.Group(groupId), ApiJson.Default.TriggerRequest, new TriggerRequest(null, false), _ =>
                    NoContent(actions.DeleteGroupAsync(http.User, Channel, groupId, EntityTags.IfMatch(http.Request), ct)))),
            OperatorActions.DeleteGroupAction, "groupId", PauseTarget.Group, "DeleteGroup", "Deletes a machine group and its memberships; with If-Match, only if its ETag matches (412 otherwise); audited.")
            .ReadsBody<ResumeRequest>().Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status412PreconditionFailed).Conditional(answersTag: false);

        Write(api.MapPut("/groups/{groupId}/members/{contextId}", (string groupId, string contextId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.AddMemberAction, PauseTarget.Group(groupId), ApiJson.Default.MemberRequest, new MemberRequest(null, null), body =>
                    NoContent(actions.AddMemberAsync(http.User, Channel, groupId, contextId, body, ct)))),
            OperatorActions.AddMemberAction, "groupId", PauseTarget.Group, "PutGroupMember", "Adds a VM context to a group, or replaces its membership (enabled, priority); audited.")
            .ReadsBody<MemberRequest>().Produces(StatusCodes.Status204NoContent);

        Write(api.MapDelete("/groups/{groupId}/members/{contextId}", (string groupId, string contextId, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.RemoveMemberAction, PauseTarget.Group(groupId), ApiJson.Default.TriggerRequest, new TriggerRequest(null, false), _ =>
                    NoContent(actions.RemoveMemberAsync(http.User, Channel, groupId, contextId, ct)))),
            OperatorActions.RemoveMemberAction, "groupId", PauseTarget.Group, "DeleteGroupMember", "Removes a VM context from a group; audited.")
            .ReadsBody<ResumeRequest>().Produces(StatusCodes.Status204NoContent);
    }

    /// <summary>What every write declares: its problems (400 bad settings or body, 404 unknown target, 409 store-read-only or a conflict, 415 not JSON), its audit metadata, its name.</summary>
    private static RouteHandlerBuilder Write(RouteHandlerBuilder endpoint, string action, string idName, Func<string, PauseTarget> target, string name, string summary) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new OperatorActionMetadata(action, Channel, idName, target))
            .WithName(name).WithSummary($"{summary} 409 store-read-only where the schedule store takes no writes.");

    private static async Task<IResult> NoContent(Task write)
    {
        await write.ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static void MapPauseActions(RouteGroupBuilder api, string collection, string idName, Func<string, PauseTarget> target)
    {
        api.MapPost($"/{collection}/{{id}}/pause", (string id, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.PauseAction, target(id), ApiJson.Default.PauseRequest, new PauseRequest(null, null), async body =>
                {
                    if (!TryParseInstant(body.ResumeAt, "resumeAt", out var resumeAt, out var invalid))
                    {
                        var problem = ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-pause-request", "Invalid pause request", invalid!.Detail!, ("parameter", "resumeAt"));
                        await actions.RecordRefusedAsync(http.User, Channel, OperatorActions.PauseAction, target(id), problem.Detail!);
                        return TypedResults.Problem(problem);
                    }

                    return TypedResults.Ok(PauseView.From(await actions.PauseAsync(http.User, Channel, target(id), body.Reason, resumeAt, ct)));
                }))
            .ReadsBody<PauseRequest>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new OperatorActionMetadata(OperatorActions.PauseAction, Channel, "id", target))
            .WithName($"Pause{Singular(collection)}").WithSummary($"Pauses a {Singular(collection).ToLowerInvariant()} ({idName}) until resumed or until resumeAt; audited.");

        api.MapPost($"/{collection}/{{id}}/resume", (string id, HttpContext http, OperatorActions actions, CancellationToken ct) =>
                ActAsync(http, actions, OperatorActions.ResumeAction, target(id), ApiJson.Default.ResumeRequest, new ResumeRequest(), async _ =>
                {
                    var report = await actions.ResumeAsync(http.User, Channel, target(id), ct);
                    return TypedResults.Ok(new ResumeView(PauseView.From(report.Pause), report.ResumedBy, report.ResumedAt, report.SkippedCount, report.SkippedExecutionIds));
                }))
            .ReadsBody<ResumeRequest>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new OperatorActionMetadata(OperatorActions.ResumeAction, Channel, "id", target))
            .WithName($"Resume{Singular(collection)}").WithSummary($"Resumes a paused {Singular(collection).ToLowerInvariant()} and reports what its pause skipped; audited.");
    }

    /// <summary>
    /// The common gate of every action: a JSON request from the API's own origin whose body reads, else a problem and a
    /// refusal in the audit log. The action itself audits its own outcome.
    /// </summary>
    private static async Task<IResult> ActAsync<T>(HttpContext http, OperatorActions actions, string action, PauseTarget target, JsonTypeInfo<T> type, T empty, Func<T, Task<IResult>> act)
    {
        if (actions.IsReadOnly)
        {
            // Read-only refuses every action first, whatever its request: the action itself refuses and audits it.
            return await act(empty);
        }

        var refused = ApiRequest.Refusal(http);
        T body = empty;
        if (refused is null)
        {
            try
            {
                body = await ApiRequest.ReadAsync(http, type, empty);
            }
            catch (ApiRequest.BadBodyException ex)
            {
                refused = ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-body", "Invalid body", ex.Message);
            }
        }

        if (refused is not null)
        {
            await actions.RecordRefusedAsync(http.User, Channel, action, target, refused.Detail!);
            return TypedResults.Problem(refused);
        }

        return await act(body);
    }

    private static string Singular(string collection) => collection switch
    {
        "schedules" => "Schedule",
        "groups" => "Group",
        _ => "Vm",
    };

    private static (DateTimeOffset From, DateTimeOffset Until, ProblemDetails? Problem) PreviewRange(string? from, string? until, DateTimeOffset now)
    {
        if (!TryParseInstant(from, "from", out var start, out var problem) || !TryParseInstant(until, "until", out var end, out problem))
        {
            return (default, default, problem);
        }

        var s = start ?? now;
        if (end is null && s > DateTimeOffset.MaxValue.AddDays(-7))
        {
            return (default, default, ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-argument", "Invalid argument", $"from {s:O} leaves no 7 days before the end of the calendar; give until as well."));
        }

        return (s, end ?? s.AddDays(7), null);
    }

    /// <summary>A horizon as a .NET time span (<c>7.00:00:00</c>) or an ISO 8601 duration (<c>P7D</c>, <c>PT12H</c>); 24 hours when absent.</summary>
    private static (TimeSpan Horizon, ProblemDetails? Problem) Horizon(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (TimeSpan.FromHours(24), null);
        }

        text = text.Trim();
        TimeSpan span;
        try
        {
            span = text.StartsWith('P') || text.StartsWith('p')
                ? System.Xml.XmlConvert.ToTimeSpan(text.ToUpperInvariant())
                : TimeSpan.ParseExact(text, "c", CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return (default, ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-argument", "Invalid argument",
                $"horizon '{text}' is neither a time span (7.00:00:00) nor an ISO 8601 duration (P7D)."));
        }

        return span <= TimeSpan.Zero || span > RpoForecast.MaxHorizon
            ? (default, ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-argument", "Invalid argument",
                $"horizon must be more than 0 and at most {RpoForecast.MaxHorizon.TotalDays:F0} days; was {text}."))
            : (span, null);
    }

    private static (ExecutionQuery? Query, ProblemDetails? Problem) ParseQuery(
        IQueryCollection raw, string? scheduleId, string? status, string? trigger, string? from, string? until, string? vm, string? failedOnlyText, string? pageText, string? pageSizeText, int maxPageSize)
    {
        var errors = new List<string>();
        foreach (var name in new[] { "scheduleId", "status", "trigger", "from", "until", "vm", "failedOnly", "page", "pageSize" })
        {
            if (raw.TryGetValue(name, out var values) && values.Count > 1)
            {
                errors.Add($"{name} is given {values.Count} times; give it once.");
            }
        }

        int? page = null, pageSize = null;
        bool? failedOnly = null;
        if (pageText is not null)
        {
            if (int.TryParse(pageText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p))
            {
                page = p;
            }
            else
            {
                errors.Add($"page '{pageText}' is not a whole number.");
            }
        }

        if (pageSizeText is not null)
        {
            if (int.TryParse(pageSizeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p))
            {
                pageSize = p;
            }
            else
            {
                errors.Add($"pageSize '{pageSizeText}' is not a whole number.");
            }
        }

        if (failedOnlyText is not null)
        {
            if (bool.TryParse(failedOnlyText, out var only))
            {
                failedOnly = only;
            }
            else
            {
                errors.Add($"failedOnly '{failedOnlyText}' is neither true nor false.");
            }
        }

        ExecutionStatus? statusValue = null;
        TriggerKind? triggerValue = null;
        if (status is not null)
        {
            if (IsName(status) && Enum.TryParse<ExecutionStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s))
            {
                statusValue = s;
            }
            else
            {
                errors.Add($"status '{status}' is not one of {string.Join(", ", Enum.GetNames<ExecutionStatus>())}.");
            }
        }

        if (trigger is not null)
        {
            if (IsName(trigger) && Enum.TryParse<TriggerKind>(trigger, ignoreCase: true, out var t) && Enum.IsDefined(t))
            {
                triggerValue = t;
            }
            else
            {
                errors.Add($"trigger '{trigger}' is not one of {string.Join(", ", Enum.GetNames<TriggerKind>())}.");
            }
        }

        if (!TryParseInstant(from, "from", out var fromValue, out var problem))
        {
            errors.Add(problem!.Detail!);
        }

        if (!TryParseInstant(until, "until", out var untilValue, out problem))
        {
            errors.Add(problem!.Detail!);
        }

        if (fromValue is { } f && untilValue is { } u && f >= u)
        {
            errors.Add($"from ({f:O}) must be before until ({u:O}).");
        }

        if (page is < 1)
        {
            errors.Add($"page must be 1 or more; was {page}.");
        }

        if (pageSize is { } size && (size < 1 || size > maxPageSize))
        {
            errors.Add($"pageSize must be between 1 and {maxPageSize}; was {size}.");
        }

        var take = pageSize is { } s2 && s2 >= 1 && s2 <= maxPageSize ? s2 : Math.Min(ApiConstants.DefaultPageSize, maxPageSize);
        if (page is > 1 && (long)(page.Value - 1) * take > int.MaxValue)
        {
            errors.Add($"page {page} of {take} is past the last page any store can hold.");
        }

        if (errors.Count > 0)
        {
            var invalid = ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-query", "Invalid query", string.Join(" ", errors));
            invalid.Extensions["errors"] = errors;
            return (null, invalid);
        }

        return (new ExecutionQuery
        {
            ScheduleId = string.IsNullOrEmpty(scheduleId) ? null : scheduleId,
            Status = statusValue,
            TriggerKind = triggerValue,
            StartedFrom = fromValue,
            StartedBefore = untilValue,
            Vm = string.IsNullOrEmpty(vm) ? null : vm,
            FailedOnly = failedOnly == true,
            Skip = ((page ?? 1) - 1) * take,
            Take = take,
        }, null);
    }

    /// <summary>One enum name: not a number, not a comma list (which <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would combine as flags).</summary>
    private static bool IsName(string text) => text.Length > 0 && char.IsLetter(text[0]) && text.All(char.IsLetterOrDigit);

    private static bool TryParseInstant(string? text, string name, out DateTimeOffset? value, out ProblemDetails? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        // An unencoded '+' in a query string arrives as a space: "…T01:00:00 01:00" means "+01:00".
        text = text.Trim().Replace(' ', '+');

        // An instant must say its offset: a bare local time would mean a different moment on every server.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && InstantWithOffset.HasOffset(text))
        {
            value = parsed;
            return true;
        }

        problem = ProblemMapper.Create(StatusCodes.Status400BadRequest, "invalid-query", "Invalid query", $"{name} '{text}' is not an ISO 8601 instant with an offset (e.g. 2026-03-29T01:00:00Z).");
        return false;
    }
}
