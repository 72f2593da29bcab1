using System.Globalization;
using System.Text;
using static Replication.Sdk.Scheduling.AspNetCore.Html;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>The dashboard's server-rendered pages: plain HTML, every value encoded, actions as forms carrying an antiforgery token.</summary>
internal sealed class DashboardPages(string prefix, string user, bool readOnly, string antiforgeryField, string antiforgeryToken)
{
    private readonly string _prefix = prefix.TrimEnd('/');

    public string Layout(string title, string body, bool live = false, string? notice = null, string? error = null)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append(" · Replication scheduler</title>");
        html.Append("<link rel=\"stylesheet\" href=\"").Append(E(_prefix)).Append("/assets/dashboard.css\">");
        html.Append("<script src=\"").Append(E(_prefix)).Append("/assets/dashboard.js\" defer></script></head>");
        html.Append("<body data-live=\"").Append(live ? "true" : "false").Append("\"><header><a href=\"").Append(E(_prefix)).Append("/\">Replication scheduler</a>");
        if (readOnly)
        {
            html.Append("<span class=\"readonly\">read-only</span>");
        }

        html.Append("<span class=\"user\">Signed in as <strong id=\"user\">").Append(E(user)).Append("</strong></span></header><main id=\"main\">");
        if (notice is not null)
        {
            html.Append("<div class=\"notice\" id=\"notice\">").Append(E(notice)).Append("</div>");
        }

        if (error is not null)
        {
            html.Append("<div class=\"error\" id=\"error\">").Append(E(error)).Append("</div>");
        }

        html.Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    public string Overview(IReadOnlyList<ScheduleSummaryView> schedules, IReadOnlyList<ScheduleExecution> running, IReadOnlyList<ExecutionDetailView> failures, IReadOnlyList<(ScheduleSummaryView Schedule, GroupView Group)> groups, string? notice)
    {
        var html = new StringBuilder();
        html.Append("<h1>Overview</h1><h2>Schedules</h2>");
        html.Head("schedules", "Schedule", "Cron", "Time zone", "Next run (local)", "Next run (UTC)", "State", "Last execution", "");
        foreach (var s in schedules)
        {
            var next = s.NextOccurrences.Count > 0 ? s.NextOccurrences[0] : null;
            html.Row(
                $"<a href=\"{E(_prefix)}/schedules/{Segment(s.Id)}\">{E(s.Name)}</a><br><code class=\"muted\">{E(s.Id)}</code>",
                s.Kind == nameof(ScheduleKind.Rpo) ? $"RPO {Span(s.Rpo.Target)}" : $"<code>{E(s.CronExpression)}</code>",
                E(s.TimeZone),
                next is null ? $"<span class=\"muted\">{E(s.Problem ?? "none")}</span>" : $"<span class=\"next-local\">{Local(next.Local)}</span>",
                next is null ? "" : $"<span class=\"next-utc\">{Time(next.Utc)}</span>",
                State(s),
                s.LastExecution is { } last ? $"<a href=\"{E(_prefix)}/executions/{Segment(last.Id)}\">{Status(last.Status)}</a> <span class=\"muted\">{Time(last.StartedAt)}</span>" : "<span class=\"muted\">never</span>",
                s.Enabled && s.Pause is null ? TriggerButton(s.Id, compact: true) : "");
        }

        html.EndTable(schedules.Count, 8, "No schedules.");

        html.Append("<h2>Running executions</h2>");
        html.Head("running", "Execution", "Schedule", "Trigger", "Started", "Progress");
        foreach (var e in running.OrderBy(e => e.StartedAt))
        {
            var done = e.VmOutcomes.Count(VmOutcomeView.IsFinished);
            html.Row(
                $"<a href=\"{E(_prefix)}/executions/{Segment(e.Id)}\"><code>{Short(e.Id)}</code></a>",
                $"<a href=\"{E(_prefix)}/schedules/{Segment(e.ScheduleId)}\">{E(e.ScheduleId)}</a>",
                E($"{e.TriggerKind} by {e.TriggeredBy}"),
                Time(e.StartedAt),
                string.Create(CultureInfo.InvariantCulture, $"<progress max=\"{Math.Max(1, e.VmOutcomes.Count)}\" value=\"{done}\"></progress> {done}/{e.VmOutcomes.Count} VMs"));
        }

        html.EndTable(running.Count, 5, "Nothing is running.");

        html.Append("<h2>Recent failures</h2>");
        html.Head("failures", "Execution", "Schedule", "Started", "Status", "Failed VMs");
        foreach (var f in failures)
        {
            var vms = string.Join("<br>", f.VmOutcomes.Where(o => IsFailureKind(o.Kind)).Select(o => $"<a href=\"{E(_prefix)}/vms/{Segment(o.ContextId)}\">{E(o.VmName)}</a>: {E(o.Kind)} <span class=\"muted\">{E(o.Reason)}</span>"));
            html.Row(
                $"<a href=\"{E(_prefix)}/executions/{Segment(f.Summary.Id)}\"><code>{Short(f.Summary.Id)}</code></a>",
                E(f.Summary.ScheduleId), Time(f.Summary.StartedAt), Status(f.Summary.Status), vms.Length > 0 ? vms : E(f.Summary.Error));
        }

        html.EndTable(failures.Count, 5, "No failures in the last 24 hours.");

        html.Append("<h2>RPO by group</h2>");
        html.Head("rpo", "Group", "Schedule", "RPO target", "Within", "Breached", "Never completed", "Oldest");
        foreach (var (s, g) in groups)
        {
            html.Row(
                E(g.Name), $"<a href=\"{E(_prefix)}/schedules/{Segment(s.Id)}\">{E(s.Name)}</a>", Span(g.Rpo.Target),
                Count(g.Rpo.Within, "within"), Count(g.Rpo.Breached, "breached"), Count(g.Rpo.NeverCompleted, "never"), Age(g.Rpo.OldestAge));
        }

        html.EndTable(groups.Count, 7, "No groups.");
        return Layout("Overview", html.ToString(), live: running.Count > 0, notice: notice);
    }

    public string Schedule(ScheduleDetailView d, string? notice, string? error)
    {
        var s = d.Summary;
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(s.Name)).Append(" <span class=\"muted\"><code>").Append(E(s.Id)).Append("</code></span> ").Append(State(s)).Append("</h1>");
        html.Append("<dl class=\"facts\">");
        Fact(html, s.Kind == nameof(ScheduleKind.Rpo) ? "RPO target" : "Cron", s.Kind == nameof(ScheduleKind.Rpo) ? $"{Span(s.Rpo.Target)} (the planner starts each VM when it falls due)" : $"<code>{E(s.CronExpression)}</code> in {E(s.TimeZone)}");
        Fact(html, "Replication", E($"{d.ReplicationType}, up to {d.MaxConcurrentJobs} jobs at once, {d.RetryAttempts} retries every {d.RetryDelay}"));
        Fact(html, "Overlap / misfire", E($"{d.OverlapPolicy} / {d.MisfirePolicy}"));
        Fact(html, "Window", d.Window is null ? "<span class=\"muted\">always</span>" : E(d.Window));
        Fact(html, "RPO target", Span(s.Rpo.Target));
        if (s.Pause is { } p)
        {
            Fact(html, "Paused", E($"by {p.PausedBy} at {p.PausedAt:O}: {p.Reason}{(p.ResumeAt is { } r ? $" (until {r:O})" : "")}; {p.SkippedCount} occurrence(s) skipped"));
        }

        if (s.Problem is not null)
        {
            Fact(html, "Problem", E(s.Problem));
        }

        html.Append("</dl>");

        html.Append("<div class=\"actions\">");
        if (s.Enabled && s.Pause is null)
        {
            html.Append(TriggerButton(s.Id, compact: false));
        }

        html.Append(s.Pause is null ? PauseForm(s.Id) : ResumeForm(s.Id));
        html.Append("</div>");

        html.Append("<h2>Next runs</h2>");
        html.Head("next-runs", "Local", "UTC");
        foreach (var o in s.NextOccurrences)
        {
            html.Row(Local(o.Local), Time(o.Utc));
        }

        html.EndTable(s.NextOccurrences.Count, 2, s.Enabled ? s.Problem ?? "No next run." : "Disabled: no next run.");

        html.Append("<h2>History</h2><div class=\"timeline\" id=\"timeline\">");
        foreach (var e in d.RecentExecutions.Reverse())
        {
            html.Append(CultureInfo.InvariantCulture, $"<a class=\"{E(e.Status)}\" href=\"{E(_prefix)}/executions/{Segment(e.Id)}\" title=\"{E($"{e.StartedAt:O} {e.TriggerKind} {e.Status}")}\"></a>");
        }

        html.Append("</div>");
        html.Head("executions", "Execution", "Trigger", "Scheduled for", "Started", "Completed", "Status", "VMs");
        foreach (var e in d.RecentExecutions)
        {
            html.Row(
                $"<a href=\"{E(_prefix)}/executions/{Segment(e.Id)}\"><code>{Short(e.Id)}</code></a>",
                E($"{e.TriggerKind} by {e.TriggeredBy}{(e.Forced ? " (forced)" : "")}"), Time(e.ScheduledFor), Time(e.StartedAt), Time(e.CompletedAt),
                Status(e.Status) + (e.Reason is null ? "" : $" <span class=\"muted\">{E(e.Reason)}</span>"),
                E(string.Create(CultureInfo.InvariantCulture, $"{e.JobsCompleted} completed, {e.JobsFailed} failed, {e.JobsSkipped} skipped of {e.VmsTotal}")));
        }

        html.EndTable(d.RecentExecutions.Count, 7, "No executions yet.");

        html.Append("<h2>VMs</h2>");
        html.Head("vms", "VM", "Group", "Member", "Latest outcome", "Job", "Reason", "Last completed", "RPO age");
        var rows = 0;
        foreach (var g in d.Groups)
        {
            foreach (var m in g.Members)
            {
                var latest = d.RecentExecutions.Count == 0 ? null : LatestOutcome(m.ContextId);
                html.Row(
                    $"<a href=\"{E(_prefix)}/vms/{Segment(m.ContextId)}\">{E(m.VmName)}</a>",
                    E(g.Name) + (g.Pause is null ? "" : " <span class=\"status paused\">paused</span>"),
                    (m.Enabled ? "enabled" : "<span class=\"muted\">disabled</span>") + (m.Pause is null ? "" : " <span class=\"status paused\">paused</span>"),
                    latest is null ? "<span class=\"muted\">–</span>" : Status(latest.Kind),
                    latest?.JobId is { } job ? $"<code>{E(job)}</code>" : "",
                    E(latest?.SkipReason is { } skip ? $"{skip}: {latest.Reason}" : latest?.Reason),
                    Time(m.LastCompletedJobAt),
                    $"<span class=\"status {(m.RpoAge is null ? "never" : m.RpoBreached ? "breached" : "within")}\">{Age(m.RpoAge)}</span>");
                rows++;
            }
        }

        html.EndTable(rows, 8, "No VMs in this schedule's groups.");
        return Layout(s.Name, html.ToString(), live: s.Running > 0, notice: notice, error: error);

        VmOutcomeView? LatestOutcome(string contextId) => LatestOutcomes.TryGetValue(contextId, out var o) ? o : null;
    }

    /// <summary>Gets or sets the newest outcome of each VM in the schedule page's executions (read from their details).</summary>
    public IReadOnlyDictionary<string, VmOutcomeView> LatestOutcomes { get; set; } = new Dictionary<string, VmOutcomeView>();

    public string Execution(ExecutionDetailView d, string? notice)
    {
        var e = d.Summary;
        var html = new StringBuilder();
        html.Append("<h1>Execution <code>").Append(Short(e.Id)).Append("</code> <span id=\"execution-status\">").Append(Status(e.Status)).Append("</span></h1>");
        html.Append("<dl class=\"facts\">");
        Fact(html, "Id", $"<code>{E(e.Id)}</code>");
        Fact(html, "Schedule", $"<a href=\"{E(_prefix)}/schedules/{Segment(e.ScheduleId)}\">{E(e.ScheduleId)}</a>");
        Fact(html, "Trigger", E($"{e.TriggerKind} by {e.TriggeredBy}{(e.Forced ? " (forced)" : "")}"));
        Fact(html, "Scheduled for", Time(e.ScheduledFor));
        Fact(html, "Started / completed", $"{Time(e.StartedAt)} / {Time(e.CompletedAt)}");
        Fact(html, "Progress", string.Create(CultureInfo.InvariantCulture, $"<progress max=\"{Math.Max(1, e.VmsTotal)}\" value=\"{e.VmsFinished}\"></progress> <span id=\"progress\">{e.VmsFinished}/{e.VmsTotal}</span> VMs finished: {e.JobsCompleted} completed, {e.JobsFailed} failed, {e.JobsSkipped} skipped"));
        if (e.Reason is not null)
        {
            Fact(html, "Reason", E(e.SkipReason is null ? e.Reason : $"{e.SkipReason}: {e.Reason}"));
        }

        if (e.Error is not null)
        {
            Fact(html, "Error", E(e.Error));
        }

        if (d.StopRequestedBy is not null)
        {
            Fact(html, "Stop requested by", $"<code>{E(d.StopRequestedBy)}</code>");
        }

        html.Append("</dl><h2>VM outcomes</h2>");
        html.Head("outcomes", "VM", "Group", "Outcome", "Reason", "Job", "Attempts", "Drift", "Started", "Completed");
        foreach (var o in d.VmOutcomes)
        {
            html.Row(
                $"<a href=\"{E(_prefix)}/vms/{Segment(o.ContextId)}\">{E(o.VmName)}</a>", E(o.GroupId), Status(o.Kind),
                E(o.SkipReason is { } skip ? $"{skip}: {o.Reason}" : o.Reason), o.JobId is { } job ? $"<code>{E(job)}</code>" : "",
                E(o.Attempts.ToString(CultureInfo.InvariantCulture)), E(o.Drift), Time(o.StartedAt), Time(o.CompletedAt));
        }

        html.EndTable(d.VmOutcomes.Count, 9, "No VM outcomes recorded (yet).");
        return Layout($"Execution {e.Id}", html.ToString(), live: e.Status == nameof(ExecutionStatus.Running), notice: notice);
    }

    public string Vm(VmView v)
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(v.VmName)).Append(" <span class=\"muted\"><code>").Append(E(v.ContextId)).Append("</code></span></h1><dl class=\"facts\">");
        Fact(html, "vCenter / datacenter", E($"{v.VCenterHost} / {v.Datacenter}"));
        Fact(html, "Status", E($"{v.CurrentStatus}{(v.SchedulerEnabled ? "" : " (scheduling disabled)")}"));
        Fact(html, "Last completed job", Time(v.LastCompletedJobAt));
        Fact(html, "RPO age", Age(v.RpoAge));
        if (v.Pause is { } p)
        {
            Fact(html, "Paused", E($"by {p.PausedBy}: {p.Reason}"));
        }

        html.Append("</dl><h2>Schedules and groups</h2>");
        html.Head("memberships", "Schedule", "Group", "Member", "RPO target", "RPO");
        foreach (var m in v.Memberships)
        {
            html.Row(
                m.ScheduleId is { } scheduleId ? $"<a href=\"{E(_prefix)}/schedules/{Segment(scheduleId)}\">{E(m.ScheduleName ?? scheduleId)}</a>" : "<span class=\"muted\">no schedule</span>",
                E(m.GroupName), m.Enabled ? "enabled" : "disabled",
                Span(m.RpoTarget), m.RpoTarget is null ? "" : $"<span class=\"status {(v.RpoAge is null ? "never" : m.RpoBreached ? "breached" : "within")}\">{(m.RpoBreached ? "breached" : v.RpoAge is null ? "never completed" : "within")}</span>");
        }

        html.EndTable(v.Memberships.Count, 5, "In no group.");
        html.Append("<h2>Job history</h2>");
        html.Head("history", "Execution", "Schedule", "Started", "Outcome", "Reason", "Job", "Attempts", "Completed");
        foreach (var h in v.History)
        {
            html.Row(
                $"<a href=\"{E(_prefix)}/executions/{Segment(h.ExecutionId)}\"><code>{Short(h.ExecutionId)}</code></a>", E(h.ScheduleId), Time(h.StartedAt),
                Status(h.Outcome.Kind), E(h.Outcome.SkipReason is { } skip ? $"{skip}: {h.Outcome.Reason}" : h.Outcome.Reason),
                h.Outcome.JobId is { } job ? $"<code>{E(job)}</code>" : "", E(h.Outcome.Attempts.ToString(CultureInfo.InvariantCulture)), Time(h.Outcome.CompletedAt));
        }

        html.EndTable(v.History.Count, 8, "No jobs yet.");
        return Layout(v.VmName, html.ToString());
    }

    public string Error(int status, string title, string detail) =>
        Layout(title, $"<h1>{E(title)}</h1><p class=\"muted\">HTTP {status.ToString(CultureInfo.InvariantCulture)}</p><p><a href=\"{E(_prefix)}/\">Back to the overview</a></p>", error: detail);

    private static bool IsFailureKind(string kind) =>
        kind is nameof(VmOutcomeKind.CreateFailed) or nameof(VmOutcomeKind.OutcomeUnknown) or nameof(VmOutcomeKind.BlockedByStaleJob) or nameof(VmOutcomeKind.JobFailed) or nameof(VmOutcomeKind.JobStale);

    private static string State(ScheduleSummaryView s) =>
        !s.Enabled ? "<span class=\"status\">disabled</span>"
        : s.Pause is not null ? "<span class=\"status paused\">paused</span>"
        : s.Running > 0 ? "<span class=\"status Running\">running</span>"
        : "<span class=\"status Completed\">enabled</span>";

    private static string Count(int n, string css) => n == 0 ? "<span class=\"muted\">0</span>" : $"<span class=\"status {css}\">{n.ToString(CultureInfo.InvariantCulture)}</span>";

    private static void Fact(StringBuilder html, string name, string value) => html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(value).Append("</dd>");

    private string Token() => $"<input type=\"hidden\" name=\"{E(antiforgeryField)}\" value=\"{E(antiforgeryToken)}\">";

    private string TriggerButton(string scheduleId, bool compact)
    {
        if (readOnly)
        {
            return "";
        }

        var action = $"{E(_prefix)}/schedules/{Segment(scheduleId)}/trigger";
        return compact
            ? $"<form class=\"inline\" method=\"post\" action=\"{action}\">{Token()}<button type=\"submit\" class=\"secondary\" data-action=\"trigger\" data-schedule=\"{E(scheduleId)}\">Trigger now</button></form>"
            : $"<form class=\"action\" method=\"post\" action=\"{action}\">{Token()}<input type=\"text\" name=\"reason\" placeholder=\"Reason (recorded)\" maxlength=\"200\"><label><input type=\"checkbox\" name=\"force\" value=\"true\"> force</label><button type=\"submit\" data-action=\"trigger\">Trigger now</button></form>";
    }

    private string PauseForm(string scheduleId) => readOnly ? "" :
        $"<form class=\"action\" method=\"post\" action=\"{E(_prefix)}/schedules/{Segment(scheduleId)}/pause\">{Token()}<input type=\"text\" name=\"reason\" placeholder=\"Why pause? (recorded)\" maxlength=\"200\"><button type=\"submit\" class=\"secondary\" data-action=\"pause\">Pause</button></form>";

    private string ResumeForm(string scheduleId) => readOnly ? "" :
        $"<form class=\"action\" method=\"post\" action=\"{E(_prefix)}/schedules/{Segment(scheduleId)}/resume\">{Token()}<button type=\"submit\" data-action=\"resume\">Resume</button></form>";
}
