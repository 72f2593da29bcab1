using Microsoft.AspNetCore.Builder;

namespace Replication.Sdk.Testing;

/// <summary>The OMA's routes: the auth middleware in front of every protected route, both error shapes, the real job and context bodies.</summary>
internal static class OmaRoutes
{
    private const string Replications = "/api/v1/replications";

    public static void Map(SimulatedAppliance simulated, WebApplication app, SimulatorOptions options, OmaState oma, OmaAuthentication auth, CreateReplicationHandler create)
    {
        DateTimeOffset Local() => options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset);
        Func<SimRequest, Task<SimResponse>> Protected(Func<SimRequest, SimResponse> handler) => r => Task.FromResult(auth.Authorize(r.Http) ?? handler(r));

        simulated.Map(app, "GET", "/health", (_, _) => null, r => Task.FromResult(SimResponse.Ok(new
        {
            database = "connected", service = "migration-orchestrator", status = "healthy", timestamp = GoTime.Format(Local()), version = "2.0.0",
        })));
        simulated.Map(app, "POST", "/api/v1/auth/login", (_, _) => null, r => Task.FromResult(auth.Login(r.Body)));
        simulated.Map(app, "POST", Replications, (_, body) => VmNameOf(body), r => auth.Authorize(r.Http) is { } refused ? Task.FromResult(refused) : create.HandleAsync(r), spendsLatency: true);
        simulated.Map(app, "GET", Replications, (_, _) => null, Protected(_ => new SimResponse(200, "application/json", "[]")));
        simulated.Map(app, "GET", Replications + "/{id}", (_, _) => null, Protected(r => GetJob(r.Route("id"), oma, options, Local())));
        simulated.Map(app, "DELETE", Replications + "/{id}", (_, _) => null, Protected(r => Delete(r.Route("id"), oma, Local())));
        simulated.Map(app, "GET", "/api/v1/vm-contexts", (_, _) => null, Protected(_ => ListContexts(oma)));
        simulated.Map(app, "GET", "/api/v1/vm-contexts/{vm_name}", (ctx, _) => ctx.Request.RouteValues["vm_name"] as string, Protected(r => Context(r.Route("vm_name"), oma, options)));
        simulated.Map(app, "GET", "/api/v1/vm-contexts/{context_id}/recent-jobs", (_, _) => null, Protected(r => RecentJobs(r.Route("context_id"), oma)));
    }

    private static string? VmNameOf(string body)
    {
        var json = GoJson.Decode(body, "CreateMigrationRequest", out var root, out _);
        return json.String(json.Object(root, "source_vm"), "name") is { Length: > 0 } name ? name : null;
    }

    private static SimResponse GetJob(string id, OmaState oma, SimulatorOptions options, DateTimeOffset local)
    {
        SimulatedJob? job;
        bool newest;
        lock (oma.Sync)
        {
            oma.Settle();
            job = oma.Job(id);
            newest = job is not null && oma.JobsOf(job.VmName).First().Id == job.Id;
        }

        // Job rows are immutable: the body is built outside the lock every request takes.
        return job is null
            ? SimResponse.OmaError(404, "Job not found", $"Migration job with ID {id} does not exist", local)
            : SimResponse.Ok(OmaViews.JobStatus(job, newest, options));
    }

    private static SimResponse Delete(string id, OmaState oma, DateTimeOffset local)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            if (oma.Job(id) is not { } job)
            {
                return SimResponse.OmaError(409, "Cannot delete job", $"job not found: replication job not found: {id}", local);
            }

            if (job.Status == "replicating")
            {
                return SimResponse.OmaError(409, "Cannot delete job", $"cannot delete job in status: {job.Status}", local);
            }

            oma.RemoveJob(id);
            return SimResponse.Ok(new
            {
                message = "Replication job deleted successfully", job_id = id, deletion_tracking_id = Guid.NewGuid().ToString(), timestamp = GoTime.Format(local),
                operations = new { volumes_deleted = true, database_cleaned = true, nbd_exports_removed = true },
            });
        }
    }

    private static SimResponse ListContexts(OmaState oma)
    {
        var contexts = oma.Contexts;
        return SimResponse.Ok(new
        {
            vm_contexts = contexts.Select(c =>
            {
                var row = OmaViews.Context(c);
                row["groups"] = Array.Empty<object>();
                row["group_count"] = 0;
                return row;
            }),
            count = contexts.Count,
        });
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

            var jobs = oma.JobsOf(c.VmName).ToList();
            var body = new Dictionary<string, object?> { ["context"] = OmaViews.Context(c) };
            if (jobs.FirstOrDefault(j => j.Id == c.CurrentJobId) is { } current)
            {
                body["current_job"] = OmaViews.JobRow(current);
            }

            body["job_history"] = jobs.Select(OmaViews.JobRow).ToList();
            body["disks"] = jobs.Count == 0 ? null : jobs[0].Disks.Select(d => OmaViews.DiskRow(jobs[0], d)).ToList();
            body["cbt_history"] = jobs.Count == 0 ? [] : OmaViews.CbtHistory(jobs[0], options);
            return SimResponse.Ok(body);
        }
    }

    private static SimResponse RecentJobs(string contextId, OmaState oma)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            var context = oma.ContextById(contextId);
            var jobs = context is null ? [] : oma.JobsOf(context.VmName).Take(10).Select(OmaViews.RecentJob).ToList();
            return SimResponse.Ok(new { context_id = contextId, jobs = jobs.Count == 0 ? null : jobs, count = jobs.Count });
        }
    }
}
