using System.Collections.Concurrent;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>An in-memory OMA: VM contexts and jobs whose status advances one step per read, with concurrency high-water marks.</summary>
internal sealed class FakeOma(TimeProvider time) : IOmaClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JobState> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _currentJob = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _contextStatus = new(StringComparer.OrdinalIgnoreCase);
    private int _jobSequence;

    /// <summary>Statuses a new job goes through, one per read; the last one stays.</summary>
    public string[] Lifecycle { get; set; } = ["replicating", "completed"];

    /// <summary>VM names whose context read fails (the OMA unreachable for them).</summary>
    public HashSet<string> UnreachableFor { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, int> MaxActiveByGroup { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> MaxActiveByExecutionSchedule { get; } = new(StringComparer.Ordinal);

    public int MaxActive { get; private set; }

    public List<string> CreatedOrder { get; } = [];

    public string CreateJob(string vmName, string? groupId, string? executionId, string? scheduleId, string[]? lifecycle = null)
    {
        lock (_lock)
        {
            var id = $"job-{++_jobSequence:0000}";
            _jobs[id] = new JobState(id, vmName, groupId, scheduleId, lifecycle ?? Lifecycle, time.GetUtcNow());
            _currentJob[vmName] = id;
            CreatedOrder.Add(vmName);
            UpdateHighWater();
            return id;
        }
    }

    public void SetContext(string vmName, string? currentJobId, string status = "replicating")
    {
        lock (_lock)
        {
            _currentJob[vmName] = currentJobId;
            _contextStatus[vmName] = status;
        }
    }

    public void AddJob(string id, string vmName, string[] lifecycle, string? groupId = null, string? scheduleId = null)
    {
        lock (_lock)
        {
            _jobs[id] = new JobState(id, vmName, groupId, scheduleId, lifecycle, time.GetUtcNow());
            UpdateHighWater();
        }
    }

    public void ForgetJob(string id)
    {
        lock (_lock)
        {
            _jobs.Remove(id);
        }
    }

    public int ActiveJobs(string? scheduleId = null)
    {
        lock (_lock)
        {
            return _jobs.Values.Count(j => !j.IsTerminal && (scheduleId is null || j.ScheduleId == scheduleId));
        }
    }

    /// <summary>Gets or sets when job reads fail as if the OMA were unreachable (given the clock's time).</summary>
    public Func<DateTimeOffset, bool>? JobReadsUnreachableAt { get; set; }

    public Task<ReplicationJob> GetReplicationJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (JobReadsUnreachableAt?.Invoke(time.GetUtcNow()) == true)
        {
            throw new ReplicationTransportException(ApplianceKind.Oma, "GET /api/v1/replications/{id}", false, new HttpRequestException("connection refused"));
        }

        lock (_lock)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                throw new OmaNotFoundException("GET /api/v1/replications/{id}", "Job not found", $"Migration job with ID {jobId} does not exist", null, null);
            }

            var status = job.Read();
            UpdateHighWater();
            return Task.FromResult(new ReplicationJob { JobId = jobId, Status = new ReplicationJobStatus(status), CreatedAt = job.CreatedAt, UpdatedAt = job.CreatedAt });
        }
    }

    /// <summary>Gets or sets work done before each VM-context read: a test's way to throw anything or to hold the read.</summary>
    public Func<string, CancellationToken, Task>? BeforeContextRead { get; set; }

    public async Task<VmContextDetails> GetVmContextAsync(string vmName, CancellationToken cancellationToken = default)
    {
        if (BeforeContextRead is { } before)
        {
            await before(vmName, cancellationToken);
        }

        return await ReadContextAsync(vmName, cancellationToken);
    }

    private Task<VmContextDetails> ReadContextAsync(string vmName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (UnreachableFor.Contains(vmName))
            {
                throw new ReplicationTransportException(ApplianceKind.Oma, "GET /api/v1/vm-contexts/{vm_name}", false, new HttpRequestException("connection refused"));
            }

            if (!_currentJob.TryGetValue(vmName, out var current) && !_contextStatus.ContainsKey(vmName))
            {
                throw new OmaNotFoundException("GET /api/v1/vm-contexts/{vm_name}", "VM context not found", null, null, null);
            }

            return Task.FromResult(new VmContextDetails
            {
                Context = new VmContext { VmName = vmName, CurrentJobId = current, CurrentStatus = _contextStatus.GetValueOrDefault(vmName, "discovered") },
            });
        }
    }

    private void UpdateHighWater()
    {
        var active = _jobs.Values.Where(j => !j.IsTerminal).ToList();
        MaxActive = Math.Max(MaxActive, active.Count);
        foreach (var g in active.GroupBy(j => j.GroupId ?? ""))
        {
            MaxActiveByGroup.AddOrUpdate(g.Key, g.Count(), (_, old) => Math.Max(old, g.Count()));
        }

        foreach (var s in active.GroupBy(j => j.ScheduleId ?? ""))
        {
            MaxActiveByExecutionSchedule.AddOrUpdate(s.Key, s.Count(), (_, old) => Math.Max(old, s.Count()));
        }
    }

    public Task<CreateReplicationResult> CreateReplicationAsync(CreateReplicationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("the fake submitter creates jobs");

    public Task<DeleteReplicationResult> DeleteReplicationJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException("the scheduler never deletes");

    public Task<VmContextList> ListVmContextsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RecentJobs> GetRecentJobsAsync(string contextId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private sealed class JobState(string id, string vmName, string? groupId, string? scheduleId, string[] lifecycle, DateTimeOffset createdAt)
    {
        private int _reads;
        private string? _lastReturned;

        public string Id { get; } = id;

        public string VmName { get; } = vmName;

        public string? GroupId { get; } = groupId;

        public string? ScheduleId { get; } = scheduleId;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        // A job is active until a reader has been told it ended: that is when the scheduler frees its slot.
        public bool IsTerminal => _lastReturned is not null && new ReplicationJobStatus(_lastReturned).IsTerminal;

        private string Current => lifecycle[Math.Min(_reads, lifecycle.Length - 1)];

        public string Read()
        {
            var status = Current;
            _reads++;
            _lastReturned = status;
            return status;
        }
    }
}

/// <summary>A submitter that creates jobs in the fake OMA, or returns scripted results per VM.</summary>
internal sealed class FakeSubmitter(FakeOma oma, TimeProvider time) : IReplicationJobSubmitter
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<ReplicationTarget, SubmissionResult>>> _scripts = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, int> Submissions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<(string VmName, DateTimeOffset At)> Log { get; } = new();

    public Func<string, string?>? ScheduleOfExecution { get; set; }

    public void Script(string vmName, params Func<ReplicationTarget, SubmissionResult>[] results) =>
        _scripts[vmName] = new ConcurrentQueue<Func<ReplicationTarget, SubmissionResult>>(results);

    public static Func<ReplicationTarget, SubmissionResult> Transient() => t => new SubmissionResult { Status = SubmissionStatus.Failed, Target = t, IsTransient = true, Reason = "VMA busy" };

    public static Func<ReplicationTarget, SubmissionResult> Permanent() => t => new SubmissionResult { Status = SubmissionStatus.Failed, Target = t, IsTransient = false, Reason = "400 Source VM information is required" };

    public static Func<ReplicationTarget, SubmissionResult> With(SubmissionStatus status, string? jobId = null) => t => new SubmissionResult { Status = status, Target = t, JobId = jobId, Reason = status.ToString() };

    public Task<SubmissionResult> SubmitAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Submissions.AddOrUpdate(target.VmName, 1, (_, n) => n + 1);
        Log.Enqueue((target.VmName, time.GetUtcNow()));
        if (_scripts.TryGetValue(target.VmName, out var queue) && queue.TryDequeue(out var next))
        {
            var scripted = next(target);
            if (scripted.Status is SubmissionStatus.JobAdopted && scripted.JobId is not null)
            {
                oma.AddJob(scripted.JobId, target.VmName, oma.Lifecycle, target.Settings.VmGroupId, ScheduleOfExecution?.Invoke(target.Settings.ScheduleExecutionId!));
            }

            return Task.FromResult(scripted);
        }

        var jobId = oma.CreateJob(target.VmName, target.Settings.VmGroupId, target.Settings.ScheduleExecutionId, ScheduleOfExecution?.Invoke(target.Settings.ScheduleExecutionId!));
        return Task.FromResult(new SubmissionResult { Status = SubmissionStatus.JobCreated, Target = target, JobId = jobId });
    }
}

/// <summary>The VMA's progress route: jobs in <see cref="Streaming"/> show more bytes on every read; others are unknown (404).</summary>
internal sealed class FakeVma(TimeProvider time) : IVmaClient
{
    private long _reads;

    public ConcurrentDictionary<string, bool> Streaming { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets when progress reads fail as if the VMA were unreachable (given the clock's time).</summary>
    public Func<DateTimeOffset, bool>? UnreachableAt { get; set; }

    public long ProgressReads => Interlocked.Read(ref _reads);

    public Task<VmaProgress> GetProgressAsync(string jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var n = Interlocked.Increment(ref _reads);
        if (UnreachableAt?.Invoke(time.GetUtcNow()) == true)
        {
            throw new ReplicationTransportException(ApplianceKind.Vma, "GET /api/v1/progress/{jobId}", false, new HttpRequestException("connection refused"));
        }

        if (!Streaming.ContainsKey(jobId))
        {
            throw new VmaApiException("GET /api/v1/progress/{jobId}", System.Net.HttpStatusCode.NotFound, VmaErrorKind.NotFound, "job not found");
        }

        return Task.FromResult(new VmaProgress
        {
            JobId = jobId, Status = "Streaming", Phase = "Transfer", BytesTransferred = n << 20, TotalBytes = 1L << 40,
            Timing = new VmaTiming { LastUpdate = time.GetUtcNow() },
        });
    }

    public Task<VmInventory> DiscoverAsync(DiscoverVmsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException("the fake scope discovers");

    public Task<VmaHealth> GetHealthAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<VmaJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

internal sealed class FakeScopeFactory : IDiscoveryScopeFactory
{
    public int Scopes { get; private set; }

    public IDiscoveryScope CreateScope(IEnumerable<ReplicationTarget> targets)
    {
        Scopes++;
        return new Scope();
    }

    private sealed class Scope : IDiscoveryScope
    {
        public int DiscoveryCount => 0;

        public Task<DiscoverySnapshot> GetInventoryAsync(ReplicationTarget target, CancellationToken cancellationToken = default) => throw new NotSupportedException("the fake submitter does not discover");

        public void Dispose()
        {
        }
    }
}

internal sealed class RecordingObserver : IExecutionObserver
{
    private readonly ConcurrentQueue<ScheduleExecution> _finished = new();
    private readonly SemaphoreSlim _signal = new(0);

    public ConcurrentQueue<RpoBreach> Breaches { get; } = new();

    public ConcurrentQueue<(string Execution, VmOutcome Outcome)> Outcomes { get; } = new();

    public IReadOnlyList<ScheduleExecution> Finished => [.. _finished];

    public Action<VmOutcome>? OnOutcome { get; set; }

    public ValueTask OnExecutionFinishedAsync(ScheduleExecution execution, CancellationToken cancellationToken)
    {
        _finished.Enqueue(execution);
        _signal.Release();
        return default;
    }

    public ValueTask OnVmOutcomeAsync(ScheduleExecution execution, VmOutcome outcome, CancellationToken cancellationToken)
    {
        Outcomes.Enqueue((execution.Id, outcome));
        OnOutcome?.Invoke(outcome);
        return default;
    }

    public ValueTask OnRpoBreachedAsync(RpoBreach breach, CancellationToken cancellationToken)
    {
        Breaches.Enqueue(breach);
        return default;
    }

    public ConcurrentQueue<(RpoBreach Breach, DateTimeOffset At)> Recoveries { get; } = new();

    public ConcurrentQueue<RpoUnattainable> Unattainable { get; } = new();

    public ValueTask OnRpoUnattainableAsync(RpoUnattainable unattainable, CancellationToken cancellationToken)
    {
        Unattainable.Enqueue(unattainable);
        return default;
    }

    public ValueTask OnRpoRecoveredAsync(RpoBreach breach, DateTimeOffset recoveredAt, CancellationToken cancellationToken)
    {
        Recoveries.Enqueue((breach, recoveredAt));
        return default;
    }

    /// <summary>Completes when <paramref name="count"/> executions matching <paramref name="match"/> have finished.</summary>
    public async Task<IReadOnlyList<ScheduleExecution>> WaitForAsync(int count, Func<ScheduleExecution, bool>? match = null)
    {
        while (true)
        {
            var found = Finished.Where(match ?? (_ => true)).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await _signal.WaitAsync();
        }
    }
}
