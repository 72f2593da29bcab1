using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the scheduler's dashboard.</summary>
public static class ReplicationDashboardEndpointRouteBuilderExtensions
{
    private const string Channel = "dashboard";

    /// <summary>
    /// Maps the dashboard under <paramref name="prefix"/>: the overview (schedules with their next run, running executions,
    /// recent failures, RPO by group), a page per schedule, execution and VM, and the actions trigger, pause and resume as
    /// forms with an antiforgery token. Every page, asset and action requires
    /// <see cref="ReplicationSchedulingApiOptions.AuthorizationPolicy"/>; actions obey read-only mode and are audited like the API's.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix; <c>/replication</c> by default.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="InvalidOperationException"><c>AddReplicationSchedulingApi</c> was not called, or the policy it names is not defined.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static RouteGroupBuilder MapReplicationDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/replication")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var options = MappingGuard.Check(endpoints.ServiceProvider, nameof(MapReplicationDashboard));
        var root = prefix.TrimEnd('/');

        // HEAD wherever a page answers GET (RFC 9110 §9.3.2), as the API does: link checkers and monitors ask with it.
        var ui = endpoints.MapGroup(root).RequireAuthorization(options.AuthorizationPolicy!).ExcludeFromDescription().AnswerHeadLikeGet();

        ui.MapGet("/", async (string? done, HttpContext http, SchedulingReader reader, CancellationToken ct) =>
        {
            var schedules = await reader.GetSchedulesAsync(ct);
            var running = await reader.GetRunningAsync(ct);
            var failures = await reader.GetRecentFailuresAsync(reader.Now.AddDays(-1), 10, ct);
            var groups = new List<(ScheduleSummaryView, GroupView)>();
            foreach (var s in schedules)
            {
                foreach (var g in await reader.GetGroupsAsync(s.Id, ct) ?? [])
                {
                    groups.Add((s, g));
                }
            }

            return Page(http, Pages(http, root).Overview(schedules, running, failures, groups, Notice(done)));
        });

        ui.MapGet("/schedules/{scheduleId}", async (string scheduleId, string? done, HttpContext http, SchedulingReader reader, CancellationToken ct) =>
        {
            if (await reader.GetScheduleAsync(scheduleId, ct) is not { } detail)
            {
                return NotFound(http, root, "schedule", scheduleId);
            }

            var pages = Pages(http, root);
            pages.LatestOutcomes = await reader.GetLatestOutcomesAsync(scheduleId, ct);
            return Page(http, pages.Schedule(detail, Notice(done), null));
        });

        ui.MapGet("/executions/{executionId}", async (string executionId, string? done, HttpContext http, SchedulingReader reader, CancellationToken ct) =>
            await reader.GetExecutionAsync(executionId, ct) is { } e ? Page(http, Pages(http, root).Execution(e, Notice(done))) : NotFound(http, root, "execution", executionId));

        ui.MapGet("/vms/{contextId}", async (string contextId, HttpContext http, SchedulingReader reader, CancellationToken ct) =>
            await reader.GetVmAsync(contextId, ct) is { } v ? Page(http, Pages(http, root).Vm(v)) : NotFound(http, root, "VM", contextId));

        ui.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!DashboardAssets.TryGet(name, out var content, out var type))
            {
                return Results.NotFound();
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, max-age=300";
            return Results.Bytes(content, type);
        });

        ui.MapPost("/schedules/{scheduleId}/trigger", (string scheduleId, HttpContext http, IAntiforgery antiforgery, OperatorActions actions, CancellationToken ct) =>
            ActAsync(http, antiforgery, actions, OperatorActions.TriggerAction, root, scheduleId, async form =>
            {
                var id = await actions.TriggerAsync(http.User, Channel, scheduleId, form["reason"], form["force"] == "true", ct);
                return $"{root}/executions/{Uri.EscapeDataString(id)}?done=triggered";
            })).WithMetadata(new OperatorActionMetadata(OperatorActions.TriggerAction, Channel, "scheduleId", PauseTarget.Schedule));

        ui.MapPost("/schedules/{scheduleId}/pause", (string scheduleId, HttpContext http, IAntiforgery antiforgery, OperatorActions actions, CancellationToken ct) =>
            ActAsync(http, antiforgery, actions, OperatorActions.PauseAction, root, scheduleId, async form =>
            {
                await actions.PauseAsync(http.User, Channel, PauseTarget.Schedule(scheduleId), form["reason"], null, ct);
                return $"{root}/schedules/{Uri.EscapeDataString(scheduleId)}?done=paused";
            })).WithMetadata(new OperatorActionMetadata(OperatorActions.PauseAction, Channel, "scheduleId", PauseTarget.Schedule));

        ui.MapPost("/schedules/{scheduleId}/resume", (string scheduleId, HttpContext http, IAntiforgery antiforgery, OperatorActions actions, CancellationToken ct) =>
            ActAsync(http, antiforgery, actions, OperatorActions.ResumeAction, root, scheduleId, async _ =>
            {
                await actions.ResumeAsync(http.User, Channel, PauseTarget.Schedule(scheduleId), ct);
                return $"{root}/schedules/{Uri.EscapeDataString(scheduleId)}?done=resumed";
            })).WithMetadata(new OperatorActionMetadata(OperatorActions.ResumeAction, Channel, "scheduleId", PauseTarget.Schedule));

        return ui;
    }

    private static DashboardPages Pages(HttpContext http, string root)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var options = http.RequestServices.GetRequiredService<IOptions<ReplicationSchedulingApiOptions>>().Value;
        return new DashboardPages(root, OperatorActions.PrincipalName(http.User), options.ReadOnly, tokens.FormFieldName, tokens.RequestToken ?? "");
    }

    // Only fixed words reach the page from the query string: a crafted link cannot put its own text on the dashboard.
    private static string? Notice(string? done) => done switch
    {
        "triggered" => "Execution triggered; this page follows it until it finishes.",
        "paused" => "Schedule paused.",
        "resumed" => "Schedule resumed.",
        _ => null,
    };

    private static IResult Page(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        // The pages load only their own assets; no inline script runs, and no other site may frame them.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult NotFound(HttpContext http, string root, string what, string id) =>
        Page(http, Pages(http, root).Error(StatusCodes.Status404NotFound, $"No such {what}", $"No {what} has the id '{id}'."), StatusCodes.Status404NotFound);

    // A refused form post is an operator action that did not happen, and a forged one is what a cross-site attack looks
    // like: both are audited like the API's refusals (the user holds the policy, or the request never got here).
    private static async Task<IResult> ActAsync(HttpContext http, IAntiforgery antiforgery, OperatorActions actions, string action, string root, string scheduleId, Func<IFormCollection, Task<string>> act)
    {
        const string Expired = "The form's antiforgery token is missing or invalid: reload the page and try again.";
        const string NotAForm = "The dashboard's actions are form posts (application/x-www-form-urlencoded or multipart/form-data).";
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            await actions.RecordRefusedAsync(http.User, Channel, action, PauseTarget.Schedule(scheduleId), Expired);
            return Page(http, Pages(http, root).Error(StatusCodes.Status400BadRequest, "The form expired", Expired), StatusCodes.Status400BadRequest);
        }

        // The token may come in a header; the action's fields only ever come in a form.
        if (!http.Request.HasFormContentType)
        {
            await actions.RecordRefusedAsync(http.User, Channel, action, PauseTarget.Schedule(scheduleId), NotAForm);
            return Page(http, Pages(http, root).Error(StatusCodes.Status415UnsupportedMediaType, "Not a form", NotAForm), StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        try
        {
            return Results.Redirect(await act(form));
        }
        catch (Exception ex) when (ProblemMapper.TryMap(ex) is { } problem)
        {
            var status = problem.Status ?? StatusCodes.Status400BadRequest;
            var reader = http.RequestServices.GetRequiredService<SchedulingReader>();
            if (status != StatusCodes.Status404NotFound && await reader.GetScheduleAsync(scheduleId, http.RequestAborted) is { } detail)
            {
                // Back on the schedule's page, with the refusal above it.
                var pages = Pages(http, root);
                pages.LatestOutcomes = await reader.GetLatestOutcomesAsync(scheduleId, http.RequestAborted);
                return Page(http, pages.Schedule(detail, null, problem.Detail), status);
            }

            return Page(http, Pages(http, root).Error(status, problem.Title ?? "Refused", problem.Detail ?? ex.Message), status);
        }
    }
}
