using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>A job as the simulated OMA keeps it.</summary>
/// <param name="Id">The job id.</param>
/// <param name="VmName">The VM name.</param>
/// <param name="VmwareVmId">The VMware id.</param>
/// <param name="VCenterHost">The vCenter host.</param>
/// <param name="CreatedAt">When created.</param>
/// <param name="Status">The status as of the last read.</param>
/// <param name="RequestBody">The create request as received (secrets are never in it).</param>
public sealed record SimulatedJob(string Id, string VmName, string VmwareVmId, string VCenterHost, DateTimeOffset CreatedAt, string Status, string RequestBody);

/// <summary>A VM context as the simulated OMA keeps it.</summary>
public sealed record SimulatedContext
{
    /// <summary>Gets the context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name.</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the VMware id.</summary>
    public required string VmwareVmId { get; init; }

    /// <summary>Gets the VM path.</summary>
    public string VmPath { get; init; } = "";

    /// <summary>Gets the vCenter host.</summary>
    public required string VCenterHost { get; init; }

    /// <summary>Gets the datacenter.</summary>
    public string Datacenter { get; init; } = "";

    /// <summary>Gets the status.</summary>
    public string CurrentStatus { get; init; } = "discovered";

    /// <summary>Gets the current job id.</summary>
    public string? CurrentJobId { get; init; }

    /// <summary>Gets the last successful job id.</summary>
    public string? LastSuccessfulJobId { get; init; }

    /// <summary>Gets the jobs run.</summary>
    public int TotalJobsRun { get; init; }

    /// <summary>Gets the successful jobs.</summary>
    public int SuccessfulJobs { get; init; }

    /// <summary>Gets the failed jobs.</summary>
    public int FailedJobs { get; init; }

    /// <summary>Gets a value indicating whether schedules may pick the VM.</summary>
    public bool SchedulerEnabled { get; init; } = true;

    /// <summary>Gets when created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The simulated OMA's state. Job lifecycles advance lazily from the clock, so a fake clock drives them exactly.</summary>
internal sealed class OmaState(SimulatorOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedContext> _contexts = new(StringComparer.OrdinalIgnoreCase); // by VM name
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private int _sequence;

    public Lock Sync => _lock;

    public IReadOnlyList<SimulatedJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                Settle();
                return [.. _jobs.Values.OrderBy(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<SimulatedContext> Contexts
    {
        get
        {
            lock (_lock)
            {
                Settle();
                return [.. _contexts.Values];
            }
        }
    }

    public string NewSession()
    {
        lock (_lock)
        {
            var token = $"sess-{Guid.NewGuid():N}";
            _sessions[token] = options.TimeProvider.GetUtcNow() + options.SessionLifetime;
            return token;
        }
    }

    public bool IsValidSession(string token)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(token, out var expires) && options.TimeProvider.GetUtcNow() < expires;
        }
    }

    public void ForgetSessions()
    {
        lock (_lock)
        {
            _sessions.Clear();
        }
    }

    /// <summary>Call under <see cref="Sync"/>: brings every job and context up to the clock.</summary>
    public void Settle()
    {
        var now = options.TimeProvider.GetUtcNow();
        foreach (var job in _jobs.Values.ToList())
        {
            if (job.Status is not ("replicating" or "snapshotting" or "finalizing"))
            {
                continue;
            }

            // Through the OMA's transfer-phase names, then a terminal status.
            var elapsed = now - job.CreatedAt;
            if (elapsed < options.JobDuration)
            {
                var phase = elapsed < options.JobDuration * 0.5 ? "replicating" : elapsed < options.JobDuration * 0.8 ? "snapshotting" : "finalizing";
                _jobs[job.Id] = job with { Status = phase };
                continue;
            }

            var failed = options.FailingVms.Contains(job.VmName);
            _jobs[job.Id] = job with { Status = failed ? "failed" : "completed" };
            if (_contexts.TryGetValue(job.VmName, out var ctx) && ctx.CurrentJobId == job.Id)
            {
                // As the OMA recomputes it: another replicating job of the VM becomes current, else none.
                var other = _jobs.Values.Where(j => j.VmName == job.VmName && j.Status is "replicating" or "snapshotting" or "finalizing").OrderByDescending(j => j.CreatedAt).FirstOrDefault();
                _contexts[job.VmName] = ctx with
                {
                    CurrentJobId = other?.Id,
                    CurrentStatus = other is not null ? "replicating" : failed ? "failed" : "ready_for_failover",
                    SuccessfulJobs = ctx.SuccessfulJobs + (failed ? 0 : 1),
                    FailedJobs = ctx.FailedJobs + (failed ? 1 : 0),
                    LastSuccessfulJobId = failed ? ctx.LastSuccessfulJobId : job.Id,
                };
            }
        }
    }

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext? ContextByVmwareId(string vmwareVmId) => _contexts.Values.FirstOrDefault(c => c.VmwareVmId == vmwareVmId);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext? ContextByName(string vmName) => _contexts.GetValueOrDefault(vmName);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext? ContextById(string contextId) => _contexts.Values.FirstOrDefault(c => c.ContextId == contextId);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedJob? Job(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public IEnumerable<SimulatedJob> JobsOf(string vmName) => _jobs.Values.Where(j => j.VmName == vmName).OrderByDescending(j => j.CreatedAt);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext AddContext(string vmName, string vmwareVmId, string path, string vcenter, string datacenter)
    {
        var now = options.TimeProvider.GetUtcNow();
        var ctx = new SimulatedContext
        {
            ContextId = string.Create(CultureInfo.InvariantCulture, $"ctx-{vmName}-{now:yyyyMMdd-HHmmss}"),
            VmName = vmName, VmwareVmId = vmwareVmId, VmPath = path, VCenterHost = vcenter, Datacenter = datacenter, CreatedAt = now,
        };
        _contexts[vmName] = ctx;
        return ctx;
    }

    /// <summary>Call under <see cref="Sync"/>: the job row and the context's current job, as the OMA writes them early in the create call.</summary>
    public SimulatedJob AddJob(SimulatedContext context, string requestBody, string status)
    {
        var now = options.TimeProvider.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"job-{now:yyyyMMdd-HHmmss.fff}-{++_sequence:x6}");
        var job = new SimulatedJob(id, context.VmName, context.VmwareVmId, context.VCenterHost, now, status, requestBody);
        _jobs[id] = job;
        _contexts[context.VmName] = context with { CurrentJobId = id, CurrentStatus = "replicating", TotalJobsRun = context.TotalJobsRun + 1 };
        return job;
    }

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public void RemoveJob(string id)
    {
        if (!_jobs.Remove(id, out var job))
        {
            return;
        }

        // As the OMA does: the context now points at the newest remaining job, whatever its status.
        if (_contexts.TryGetValue(job.VmName, out var ctx) && ctx.CurrentJobId == id)
        {
            _contexts[job.VmName] = ctx with { CurrentJobId = JobsOf(job.VmName).FirstOrDefault()?.Id };
        }
    }

    /// <summary>Changes a context (for example to disable scheduling or set a failover state).</summary>
    public void ChangeContext(string vmName, Func<SimulatedContext, SimulatedContext> change)
    {
        lock (_lock)
        {
            if (_contexts.TryGetValue(vmName, out var ctx))
            {
                _contexts[vmName] = change(ctx);
            }
        }
    }
}
