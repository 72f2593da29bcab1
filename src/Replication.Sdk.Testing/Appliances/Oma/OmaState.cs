using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>
/// The simulated OMA's database. Job lifecycles advance lazily from the clock, so a fake clock drives them exactly: a job
/// is <c>replicating</c> for <see cref="SimulatorOptions.JobDuration"/> from the end of its create call, its progress moves
/// in steps of 5 % (and <c>updated_at</c> with it), then it is <c>completed</c> or <c>failed</c>.
/// </summary>
internal sealed class OmaState(SimulatorOptions options)
{
    private const int ProgressStep = 5;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedContext> _contexts = new(StringComparer.OrdinalIgnoreCase); // by VM name, as MySQL's collation compares
    private int _sequence;
    private int _devices;

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
                return [.. _contexts.Values.OrderBy(c => c.VmName, StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset);

    /// <summary>Call under <see cref="Sync"/>: brings every job and context up to the clock.</summary>
    public void Settle()
    {
        var now = Now;
        foreach (var job in _jobs.Values.Where(j => j is { Status: "replicating", TransferStartedAt: not null } && !options.StalledVms.Contains(j.VmName)).OrderBy(j => j.TransferStartedAt).ToList())
        {
            var started = job.TransferStartedAt!.Value;
            var end = started + options.JobDuration;
            var lastStep = options.OmaProgressUpdates ? LastStepBefore(job, Min(now, end)) : job;
            if (now < end)
            {
                _jobs[job.Id] = lastStep;
                continue;
            }

            var failed = options.FailingVms.Contains(job.VmName);
            var at = GoTime.TruncateToMilliseconds(end);
            _jobs[job.Id] = failed
                ? lastStep with { Status = "failed", UpdatedAt = at, CompletedAt = at, ErrorMessage = "VMA transfer failed: simulated failure" }
                : lastStep with
                {
                    Status = "completed", ProgressPercent = 100, UpdatedAt = at, CompletedAt = at,
                    Disks = [.. job.Disks.Select((d, i) => d with { ChangeId = ChangeId(job, i) })],
                };
            Recompute(job.VmName, failed ? null : job.Id, failed, end);
        }
    }

    /// <summary>Call under <see cref="Sync"/>; <c>vmware_vm_id</c> compares as MySQL's collation does: ignoring case.</summary>
    public SimulatedContext? ContextByVmwareId(string vmwareVmId) =>
        _contexts.Values.FirstOrDefault(c => string.Equals(c.VmwareVmId, vmwareVmId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext? ContextByName(string vmName) => _contexts.GetValueOrDefault(vmName);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext? ContextById(string contextId) => _contexts.Values.FirstOrDefault(c => string.Equals(c.ContextId, contextId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedJob? Job(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Call under <see cref="Sync"/> after <see cref="Settle"/>: the VMA's view of a job's transfer at the clock — whole
    /// percent steps of <see cref="SimulatorOptions.JobDuration"/>, <c>last_update</c> stamped when the step was reached.
    /// </summary>
    public (string Status, string Phase, int Percentage, DateTimeOffset LastUpdate) Transfer(SimulatedJob job)
    {
        if (job.Status == "completed")
        {
            return ("Succeeded", "PersistChangeIDs", 100, job.CompletedAt ?? job.UpdatedAt);
        }

        if (job.IsTerminal)
        {
            return ("Failed", "Transfer", (int)job.ProgressPercent, job.CompletedAt ?? job.UpdatedAt);
        }

        if (job.TransferStartedAt is not { } started)
        {
            return ("Preparing", "PrepareVolumes", 0, job.UpdatedAt);
        }

        if (options.StalledVms.Contains(job.VmName))
        {
            return ("Streaming", "Transfer", 0, started);
        }

        var fraction = Math.Clamp((Now - started) / options.JobDuration, 0, 1);
        var percent = (int)Math.Floor(fraction * 100);
        return ("Streaming", "Transfer", percent, GoTime.TruncateToMilliseconds(started + (options.JobDuration * percent / 100)));
    }

    /// <summary>Call under <see cref="Sync"/>: newest first.</summary>
    public IEnumerable<SimulatedJob> JobsOf(string vmName) =>
        _jobs.Values.Where(j => string.Equals(j.VmName, vmName, StringComparison.OrdinalIgnoreCase)).OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal);

    /// <summary>Call under <see cref="Sync"/>: the newest change id recorded for a VM path (what <c>replication_type: ""</c> looks for).</summary>
    public string? ChangeIdFor(string vmPath) => _jobs.Values
        .Where(j => j.Status == "completed" && string.Equals(j.VmPath, vmPath, StringComparison.Ordinal))
        .OrderByDescending(j => j.CompletedAt).SelectMany(j => j.Disks).Select(d => d.ChangeId).FirstOrDefault(c => c is not null);

    /// <summary>Call under <see cref="Sync"/>.</summary>
    public SimulatedContext AddContext(SimulatedContext spec)
    {
        var now = GoTime.TruncateToSeconds(Now);
        var ctx = spec with
        {
            ContextId = string.Create(CultureInfo.InvariantCulture, $"ctx-{spec.VmName}-{now:yyyyMMdd-HHmmss}"),
            CreatedAt = now, UpdatedAt = now, LastStatusChange = now,
        };
        _contexts[spec.VmName] = ctx;
        return ctx;
    }

    /// <summary>Call under <see cref="Sync"/>: the job row (<c>initializing</c>) and the context's current job, as the OMA writes them early in the create call.</summary>
    public SimulatedJob AddJob(SimulatedContext context, SimulatedJob spec)
    {
        var now = GoTime.TruncateToMilliseconds(Now);
        var id = string.Create(CultureInfo.InvariantCulture, $"job-{now:yyyyMMdd-HHmmss.fff}-{++_sequence:x6}");
        var job = spec with
        {
            Id = id, CreatedAt = now, UpdatedAt = now, Status = "initializing", ContextId = context.ContextId,
            Disks = [.. spec.Disks.Select((d, i) => d with { RowId = (_sequence * 16L) + i + 1, VolumeId = Guid.NewGuid().ToString(), DevicePath = DevicePath(++_devices) })],
        };
        _jobs[id] = job;
        var seconds = GoTime.TruncateToSeconds(now);
        _contexts[context.VmName] = context with
        {
            CurrentJobId = id, CurrentStatus = "replicating", TotalJobsRun = context.TotalJobsRun + 1,
            FirstJobAt = context.FirstJobAt ?? seconds, LastJobAt = seconds, UpdatedAt = seconds,
            LastStatusChange = context.CurrentStatus == "replicating" ? context.LastStatusChange : seconds,
        };
        return job;
    }

    /// <summary>A setup step of the create call; <paramref name="status"/> <c>replicating</c> starts the transfer clock.</summary>
    public void Advance(string jobId, string status)
    {
        lock (_lock)
        {
            if (_jobs.TryGetValue(jobId, out var job))
            {
                var now = GoTime.TruncateToMilliseconds(Now);
                _jobs[jobId] = job with { Status = status, UpdatedAt = now, TransferStartedAt = status == "replicating" ? now : null };
            }
        }
    }

    /// <summary>Call under <see cref="Sync"/>: <c>DELETE /replications/{id}</c>.</summary>
    public void RemoveJob(string id)
    {
        if (!_jobs.Remove(id, out var job))
        {
            return;
        }

        // As the OMA does: the context now points at the newest remaining job, whatever its status.
        if (_contexts.TryGetValue(job.VmName, out var ctx) && ctx.CurrentJobId == id)
        {
            _contexts[job.VmName] = ctx with { CurrentJobId = JobsOf(job.VmName).FirstOrDefault()?.Id, UpdatedAt = GoTime.TruncateToSeconds(Now) };
        }
    }

    /// <summary>The job row disappears (an operator's cleanup, a restored database) while the context still points at it.</summary>
    public bool VanishJob(string id)
    {
        lock (_lock)
        {
            return _jobs.Remove(id);
        }
    }

    /// <summary>Changes a context (for example to disable scheduling or set a failover state).</summary>
    public void ChangeContext(string vmName, Func<SimulatedContext, SimulatedContext> change)
    {
        lock (_lock)
        {
            if (_contexts.TryGetValue(vmName, out var ctx))
            {
                _contexts[ctx.VmName] = change(ctx);
            }
        }
    }

    /// <summary>Volumes attach to the OMA's VM one after another: <c>/dev/vdb</c>, <c>/dev/vdc</c>, … <c>/dev/vdaa</c>, never reused by a later job.</summary>
    private static string DevicePath(int n)
    {
        var name = "";
        for (; n >= 0; n = (n / 26) - 1)
        {
            name = (char)('a' + (n % 26)) + name;
        }

        return "/dev/vd" + name;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A VMware-style change id, stable for a job (string hashes are randomised per process, so none is used).</summary>
    private static string ChangeId(SimulatedJob job, int disk) =>
        string.Create(CultureInfo.InvariantCulture, $"52 {job.Id[^6..]} {disk:x2}/{job.TransferStartedAt!.Value.ToUnixTimeMilliseconds() % 100000}");

    /// <summary>The job as the OMA's progress updates left it at <paramref name="at"/>: the last 5 % step reached, stamped when reached.</summary>
    private SimulatedJob LastStepBefore(SimulatedJob job, DateTimeOffset at)
    {
        var fraction = (at - job.TransferStartedAt!.Value) / options.JobDuration;
        var step = Math.Min(100 - ProgressStep, (int)Math.Floor(fraction * 100 / ProgressStep) * ProgressStep);
        if (step <= job.ProgressPercent)
        {
            return job;
        }

        var reached = job.TransferStartedAt.Value + (options.JobDuration * step / 100);
        return job with { ProgressPercent = step, UpdatedAt = GoTime.TruncateToMilliseconds(reached) };
    }

    /// <summary>
    /// What the OMA does when a job ends: the newest job still <c>replicating</c>/<c>provisioning</c> becomes current,
    /// otherwise none, and the status follows the newest job.
    /// </summary>
    private void Recompute(string vmName, string? succeededJobId, bool failed, DateTimeOffset at)
    {
        if (!_contexts.TryGetValue(vmName, out var ctx))
        {
            return;
        }

        var jobs = JobsOf(vmName).ToList();
        var current = jobs.FirstOrDefault(j => j.Status is "replicating" or "provisioning");
        var status = current is not null ? "replicating" : jobs.FirstOrDefault()?.Status switch
        {
            "completed" => "ready_for_failover",
            "failed" => "failed",
            _ => "discovered",
        };
        var seconds = GoTime.TruncateToSeconds(at);
        _contexts[ctx.VmName] = ctx with
        {
            CurrentJobId = current?.Id, CurrentStatus = status, UpdatedAt = seconds,
            LastStatusChange = status == ctx.CurrentStatus ? ctx.LastStatusChange : seconds,
            SuccessfulJobs = ctx.SuccessfulJobs + (failed ? 0 : 1), FailedJobs = ctx.FailedJobs + (failed ? 1 : 0),
            LastSuccessfulJobId = succeededJobId ?? ctx.LastSuccessfulJobId,
        };
    }
}
