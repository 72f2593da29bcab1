using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Testing;

/// <summary>The OMA's routes, in the contract's validation order, with both error shapes, both 201 bodies and the 409 rules of <c>current_job_id</c>.</summary>
internal static class OmaRoutes
{
    private const string Replications = "/api/v1/replications";

    public static void Map(SimulatedAppliance simulated, WebApplication app, SimulatorOptions options, OmaState oma)
    {
        DateTimeOffset Local() => options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset);

        simulated.Map(app, "GET", "/health", (_, _) => null, (_, _) => Task.FromResult(SimResponse.Ok(new { status = "ok" })));
        simulated.Map(app, "POST", "/api/v1/auth/login", (_, _) => null, (_, body) =>
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var id = doc.RootElement.TryGetProperty("appliance_id", out var a) ? a.GetString() : null;
                var token = doc.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null;
                if (id != options.ApplianceId || token != options.LoginToken)
                {
                    return Task.FromResult(SimResponse.Ok(new { success = false, error_message = "Invalid credentials" }, 401));
                }

                return Task.FromResult(SimResponse.Ok(new { success = true, session_token = oma.NewSession(), expires_at = GoTime.Format(options.TimeProvider.GetUtcNow() + options.SessionLifetime) }));
            }
            catch (JsonException ex)
            {
                return Task.FromResult(SimResponse.OmaError(400, "Invalid request payload", ex.Message, Local()));
            }
        });

        simulated.Map(app, "POST", Replications, (_, body) => VmNameOf(body), (ctx, body) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? Create(body, oma, Local())));
        simulated.Map(app, "GET", Replications + "/{id}", (_, _) => null, (ctx, _) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? GetJob((string)ctx.Request.RouteValues["id"]!, oma, options, Local())));
        simulated.Map(app, "DELETE", Replications + "/{id}", (_, _) => null, (ctx, _) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? Delete((string)ctx.Request.RouteValues["id"]!, oma, Local())));
        simulated.Map(app, "GET", "/api/v1/vm-contexts", (_, _) => null, (ctx, _) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? ListContexts(oma)));
        simulated.Map(app, "GET", "/api/v1/vm-contexts/{vm_name}", (ctx, _) => ctx.Request.RouteValues["vm_name"] as string,
            (ctx, _) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? Context((string)ctx.Request.RouteValues["vm_name"]!, oma, options)));
        simulated.Map(app, "GET", "/api/v1/vm-contexts/{context_id}/recent-jobs", (_, _) => null,
            (ctx, _) => Task.FromResult(Authorize(ctx, options, oma, Local()) ?? RecentJobs((string)ctx.Request.RouteValues["context_id"]!, oma)));
    }

    private static string? VmNameOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("source_vm", out var vm) && vm.TryGetProperty("name", out var n) ? n.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SimResponse? Authorize(HttpContext ctx, SimulatorOptions options, OmaState oma, DateTimeOffset local)
    {
        if (options.LoginToken is null)
        {
            return null; // -auth=false
        }

        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return SimResponse.OmaError(401, "Missing authorization header", "", local);
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return SimResponse.OmaError(401, "Invalid authorization format", "", local);
        }

        return oma.IsValidSession(header["Bearer ".Length..]) ? null : SimResponse.OmaError(401, "Invalid or expired token", "", local);
    }

    private static SimResponse Create(string body, OmaState oma, DateTimeOffset local)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException ex)
        {
            return SimResponse.OmaError(400, "Invalid request payload", ex.Message, local);
        }

        var vm = root.TryGetProperty("source_vm", out var v) ? v : default;
        string Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        var id = Str(vm, "id");
        var name = Str(vm, "name");
        var path = Str(vm, "path");
        if (id.Length == 0 || name.Length == 0 || path.Length == 0)
        {
            return SimResponse.OmaError(400, "Source VM information is required", "Missing VM ID, name, or path", local);
        }

        if (!root.TryGetProperty("ossea_config_id", out var config) || config.ValueKind != JsonValueKind.Number || config.GetInt32() == 0)
        {
            return SimResponse.OmaError(400, "OSSEA configuration ID is required", "Must specify target OSSEA configuration", local);
        }

        var start = !root.TryGetProperty("start_replication", out var s) || s.ValueKind != JsonValueKind.False;
        var vcenter = Str(root, "vcenter_host");
        var datacenter = Str(root, "datacenter");
        lock (oma.Sync)
        {
            oma.Settle();
            var context = oma.ContextByVmwareId(id);
            if (context is not null && !start)
            {
                return SimResponse.OmaError(409, "VM already exists in management", $"VM '{name}' ({id}) is already managed with context ID: {context.ContextId}", local);
            }

            if (context is not null && !string.IsNullOrEmpty(context.CurrentJobId))
            {
                return SimResponse.OmaError(409, "VM has active replication job", $"VM '{name}' ({id}) already has active job: {context.CurrentJobId}", local);
            }

            if (!start)
            {
                var added = oma.AddContext(name, id, path, vcenter, datacenter);
                return SimResponse.Ok(new
                {
                    context_id = added.ContextId, vm_name = name, vmware_vm_id = id, current_status = "discovered",
                    message = "VM added to management successfully", created_at = GoTime.Format(local),
                }, 201);
            }

            context ??= oma.ContextByName(name) ?? oma.AddContext(name, id, path, vcenter, datacenter);
            var disks = vm.TryGetProperty("disks", out var d) && d.ValueKind == JsonValueKind.Array ? d.EnumerateArray().ToList() : [];

            // As the real OMA: the job row and current_job_id exist before the workflow can fail, and neither is rolled back.
            var job = oma.AddJob(context, body, disks.Count == 0 || disks.Any(x => Str(x, "path").Length == 0) ? "initializing" : "replicating");
            if (disks.Count == 0)
            {
                return SimResponse.OmaError(500, "Failed to start migration workflow", "source VM has no disks to migrate", local);
            }

            if (disks.Any(x => Str(x, "path").Length == 0))
            {
                return SimResponse.OmaError(500, "Failed to start migration workflow", "failed to prepare volume: empty VMDK path", local);
            }

            return SimResponse.Ok(new
            {
                job_id = job.Id, status = "replicating", progress_percent = 0, source_vm = vm,
                created_volumes = disks.Select((x, i) => new { volume_id = Guid.NewGuid().ToString(), volume_name = $"{name}-disk-{i}", size_gb = (int)((x.GetProperty("capacity_bytes").GetInt64() + (5L << 30) + (1L << 30) - 1) >> 30), status = "created" }),
                mounted_volumes = disks.Select((_, i) => new { device_path = $"/dev/vd{(char)('b' + i)}", mount_point = "", status = "attached" }),
                started_at = GoTime.Format(local), message = "Migration workflow started successfully - volumes created and mounted automatically",
            }, 201);
        }
    }

    private static SimResponse GetJob(string id, OmaState oma, SimulatorOptions options, DateTimeOffset local)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            if (oma.Job(id) is not { } job)
            {
                return SimResponse.OmaError(404, "Job not found", $"Migration job with ID {id} does not exist", local);
            }

            var done = job.Status is "completed" or "failed";
            var progress = done ? 100.0 : Math.Min(99.0, Math.Round((options.TimeProvider.GetUtcNow() - job.CreatedAt) / options.JobDuration * 100, 1));
            return SimResponse.Ok(new
            {
                job_id = job.Id, status = job.Status, progress_percent = progress, created_at = GoTime.Format(job.CreatedAt.ToOffset(options.OmaLocalOffset)),
                updated_at = GoTime.Format(options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset)), started_at = (string?)null,
                completed_at = done ? GoTime.Format(job.CreatedAt + options.JobDuration) : null,
                source_vm = new { id = job.VmwareVmId, name = job.VmName, path = "", vcenter_host = job.VCenterHost, datacenter = "" },
                configuration = new { replication_type = "", target_network = "", ossea_config_id = 1 },
                disks = Array.Empty<object>(), mounts = Array.Empty<object>(), cbt_history = Array.Empty<object>(),
            });
        }
    }

    private static SimResponse Delete(string id, OmaState oma, DateTimeOffset local)
    {
        lock (oma.Sync)
        {
            if (oma.Job(id) is null)
            {
                return SimResponse.OmaError(404, "Job not found", $"Migration job with ID {id} does not exist", local);
            }

            oma.RemoveJob(id);
            return SimResponse.Ok(new
            {
                message = "Replication job deleted successfully", job_id = id, deletion_tracking_id = $"del-{id}", timestamp = GoTime.Format(local),
                operations = new { volumes_deleted = 1, database_cleaned = true, nbd_exports_removed = 1 },
            });
        }
    }

    private static object ContextBody(SimulatedContext c) => new
    {
        context_id = c.ContextId, vm_name = c.VmName, vmware_vm_id = c.VmwareVmId, vm_path = c.VmPath, vcenter_host = c.VCenterHost, datacenter = c.Datacenter,
        current_status = c.CurrentStatus, current_job_id = c.CurrentJobId, last_successful_job_id = c.LastSuccessfulJobId,
        total_jobs_run = c.TotalJobsRun, successful_jobs = c.SuccessfulJobs, failed_jobs = c.FailedJobs, scheduler_enabled = c.SchedulerEnabled,
        auto_added = false, created_at = GoTime.Format(c.CreatedAt), updated_at = GoTime.Format(c.CreatedAt),
    };

    private static object JobRow(SimulatedJob j) => new { id = j.Id, status = j.Status, replication_type = "", progress_percent = j.Status == "completed" ? 100 : 0, created_at = GoTime.Format(j.CreatedAt) };

    private static SimResponse ListContexts(OmaState oma)
    {
        var contexts = oma.Contexts;
        return SimResponse.Ok(new { vm_contexts = contexts.Select(ContextBody), count = contexts.Count });
    }

    private static SimResponse Context(string vmName, OmaState oma, SimulatorOptions options)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            if (oma.ContextByName(vmName) is not { } c)
            {
                return SimResponse.OmaShortError(404, "VM context not found", options.TimeProvider.GetUtcNow());
            }

            var jobs = oma.JobsOf(vmName).ToList();
            return SimResponse.Ok(new
            {
                context = ContextBody(c), current_job = c.CurrentJobId is null ? null : jobs.Where(j => j.Id == c.CurrentJobId).Select(JobRow).FirstOrDefault(),
                job_history = jobs.Select(JobRow), disks = Array.Empty<object>(), cbt_history = Array.Empty<object>(),
            });
        }
    }

    private static SimResponse RecentJobs(string contextId, OmaState oma)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            var context = oma.ContextById(contextId);
            var jobs = context is null ? [] : oma.JobsOf(context.VmName).Take(10).Select(JobRow).ToList();
            return SimResponse.Ok(new { context_id = contextId, jobs, count = jobs.Count });
        }
    }
}
