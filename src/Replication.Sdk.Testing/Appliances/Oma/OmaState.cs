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

    // Every request settles the clock and most look a VM's jobs up: with thousands of jobs held (a bulk run keeps every
    // finished one), scanning them all per request made each poll cost O(jobs). These follow _jobs through Put and Drop.
    private readonly HashSet<string> _transferring = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _jobIdsByVm = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _jobIdsByPath = new(StringComparer.Ordinal);

    // When each transferring job next changes (its next progress step or its end), so a settle touches only those due:
    // at 200 jobs in flight and a request every 50 µs, re-reckoning every one of them per request was most of the cost.
    private readonly PriorityQueue<string, long> _due = new();
    private (TimeSpan Duration, bool Steps) _dueRule;
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
        if (_transferring.Count == 0)
        {
            return;
        }

        var now = Now;
        var moving = new List<SimulatedJob>();
        foreach (var job in Due(now.UtcTicks))
        {
            if (options.StalledVms.Contains(job.VmName))
            {
                // A stalled VM may be released at any moment: look at it again at the next settle.
                _due.Enqueue(job.Id, now.UtcTicks);
                continue;
            }

            moving.Add(job);
        }

        foreach (var job in moving.OrderBy(j => j.TransferStartedAt).ThenBy(j => j.Id, StringComparer.Ordinal))
        {
            var started = job.TransferStartedAt!.Value;
            var end = started + options.JobDuration;
            var lastStep = options.OmaProgressUpdates ? LastStepBefore(job, Min(now, end)) : job;
            if (now < end)
            {
                if (ReferenceEquals(lastStep, job))
                {
                    // Looked at a little early (the due time errs early): nothing moved yet.
                    _due.Enqueue(job.Id, DueTicks(job));
                }
                else
                {
                    Put(lastStep);
                }

                continue;
            }

            var failed = options.FailingVms.Contains(job.VmName);
            var at = GoTime.TruncateToMilliseconds(end);
            Put(failed
                ? lastStep with { Status = "failed", UpdatedAt = at, CompletedAt = at, ErrorMessage = "VMA transfer failed: simulated failure" }
                : lastStep with
                {
                    Status = "completed", ProgressPercent = 100, UpdatedAt = at, CompletedAt = at,
                    Disks = [.. job.Disks.Select((d, i) => d with { ChangeId = ChangeId(job, i) })],
                });
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

    /// <summary>
    /// Call under <see cref="Sync"/> after <see cref="Settle"/>: the VMA's <c>eta_seconds</c> — the transfer's time left in
    /// whole seconds, rounded up, at most 86,400 (a stalled transfer has no rate: the cap); 0 when nothing is streaming.
    /// </summary>
    public long EtaSeconds(SimulatedJob job)
    {
        if (job.IsTerminal || job.TransferStartedAt is not { } started)
        {
            return 0;
        }

        if (options.StalledVms.Contains(job.VmName))
        {
            return 86_400;
        }

        var left = started + options.JobDuration - Now;
        return left <= TimeSpan.Zero ? 0 : Math.Min(86_400, (long)Math.Ceiling(left.TotalSeconds));
    }

    /// <summary>Call under <see cref="Sync"/>: newest first.</summary>
    public IEnumerable<SimulatedJob> JobsOf(string vmName) => _jobIdsByVm.TryGetValue(vmName, out var ids)
        ? ids.Select(id => _jobs[id]).OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)
        : [];

    /// <summary>Call under <see cref="Sync"/>: the newest change id recorded for a VM path (what <c>replication_type: ""</c> looks for).</summary>
    public string? ChangeIdFor(string vmPath) => !_jobIdsByPath.TryGetValue(vmPath, out var ids) ? null : ids.Select(id => _jobs[id])
        .Where(j => j.Status == "completed")
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
        Put(job);
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
                Put(job with { Status = status, UpdatedAt = now, TransferStartedAt = status == "replicating" ? now : null });
            }
        }
    }

    /// <summary>Call under <see cref="Sync"/>: <c>DELETE /replications/{id}</c>.</summary>
    public void RemoveJob(string id)
    {
        if (Drop(id) is not { } job)
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
            return Drop(id) is not null;
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

    /// <summary>
    /// The transferring jobs whose next change may have come by <paramref name="nowTicks"/>, each once; all of them when
    /// the options the due times were reckoned with have changed since.
    /// </summary>
    private List<SimulatedJob> Due(long nowTicks)
    {
        var rule = (options.JobDuration, options.OmaProgressUpdates);
        if (rule != _dueRule)
        {
            _dueRule = rule;
            _due.Clear();
            return [.. _transferring.Select(id => _jobs[id])];
        }

        var due = new List<SimulatedJob>();
        HashSet<string>? seen = null;
        while (_due.TryPeek(out var id, out var at) && at <= nowTicks)
        {
            _due.Dequeue();
            if (_transferring.Contains(id) && (seen ??= new(StringComparer.Ordinal)).Add(id))
            {
                due.Add(_jobs[id]);
            }
        }

        return due;
    }

    /// <summary>When a transferring job next changes: its next 5 % step, or its end.</summary>
    private long DueTicks(SimulatedJob job)
    {
        var start = job.TransferStartedAt!.Value;
        var duration = options.JobDuration;
        var end = (start + duration).UtcTicks;
        var next = ((int)Math.Floor(job.ProgressPercent / ProgressStep) + 1) * ProgressStep;
        if (!options.OmaProgressUpdates || next > 100 - ProgressStep)
        {
            return end;
        }

        // Two ticks early: the step itself is reckoned in doubles, and an early look only looks again.
        return Math.Min(end, start.UtcTicks + (long)Math.Floor(duration.Ticks * (double)next / 100) - 2);
    }

    /// <summary>Writes a job row and keeps the indexes in step with it.</summary>
    private void Put(SimulatedJob job)
    {
        if (_jobs.TryGetValue(job.Id, out var previous))
        {
            Unindex(previous);
        }

        _jobs[job.Id] = job;
        Add(_jobIdsByVm, job.VmName, job.Id);
        Add(_jobIdsByPath, job.VmPath, job.Id);
        if (job is { Status: "replicating", TransferStartedAt: not null })
        {
            _transferring.Add(job.Id);
            _due.Enqueue(job.Id, DueTicks(job));
        }

        static void Add(Dictionary<string, List<string>> index, string key, string id)
        {
            if (!index.TryGetValue(key, out var ids))
            {
                index[key] = ids = [];
            }

            ids.Add(id);
        }
    }

    private SimulatedJob? Drop(string id)
    {
        if (!_jobs.Remove(id, out var job))
        {
            return null;
        }

        Unindex(job);
        return job;
    }

    private void Unindex(SimulatedJob job)
    {
        _transferring.Remove(job.Id);
        Remove(_jobIdsByVm, job.VmName, job.Id);
        Remove(_jobIdsByPath, job.VmPath, job.Id);

        static void Remove(Dictionary<string, List<string>> index, string key, string id)
        {
            if (index.TryGetValue(key, out var ids) && ids.Remove(id) && ids.Count == 0)
            {
                index.Remove(key);
            }
        }
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
