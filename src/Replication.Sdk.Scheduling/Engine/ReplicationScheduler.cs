using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The scheduler engine: sleeps on the injected <see cref="TimeProvider"/> until the earliest next occurrence of any enabled
/// schedule (an index by fire time, not a per-second poll), wakes at once when schedules change, claims each occurrence in
/// the execution store before running it, and records what happened to occurrences it could not run.
/// </summary>
internal sealed class ReplicationScheduler : BackgroundService, IReplicationScheduler
{
    /// <summary>Task.Delay cannot wait longer than about 49 days; the loop simply wakes and re-plans.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    /// <summary>How long a stop may spend giving the lease back.</summary>
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(5);

    private readonly IServiceProvider _services;
    private readonly IScheduleStore _store;
    private readonly ResilientExecutionStore _executions;
    private readonly IInstanceLeaseStore _leases;
    private readonly IScheduleEvaluator _evaluator;
    private readonly ExecutionRunner _runner;
    private readonly SlotBoard _slots;
    private readonly ExecutionEvents _events;
    private readonly SchedulerTelemetry _telemetry;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicationScheduler> _logger;
    private readonly Lock _lock = new();
    private readonly ScheduleIndex _index = new();
    private readonly Dictionary<string, Planned> _planned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ScheduleExecution>> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _reattached = [];

    /// <summary>Executions this process started; recovery never takes them for a dead process's (ExecuteAsync runs concurrently with triggers).</summary>
    private readonly ConcurrentDictionary<string, byte> _local = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dirty;
    private int _disposed;
    private volatile bool _leaseHeld;

    /// <summary>Owned here, not taken from ExecuteAsync: a trigger may start an execution before ExecuteAsync runs (it runs on the thread pool).</summary>
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>Serialises the read-modify-write of interrupted executions by re-attached job trackers.</summary>
    private readonly SemaphoreSlim _reattachGate = new(1, 1);

    public ReplicationScheduler(
        IServiceProvider services,
        IScheduleStore store,
        ResilientExecutionStore executions,
        IInstanceLeaseStore leases,
        IScheduleEvaluator evaluator,
        ExecutionRunner runner,
        SlotBoard slots,
        ExecutionEvents events,
        SchedulerTelemetry telemetry,
        IOptions<SchedulerOptions> options,
        TimeProvider time,
        ILogger<ReplicationScheduler> logger)
    {
        _services = services;
        _store = store;
        _executions = executions;
        _leases = leases;
        _evaluator = evaluator;
        _runner = runner;
        _slots = slots;
        _events = events;
        _telemetry = telemetry;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the next planned fire time of a schedule (for tests and diagnostics).</summary>
    internal DateTimeOffset? NextFireTime(string scheduleId)
    {
        lock (_lock)
        {
            return _index.NextOf(scheduleId);
        }
    }

    public void NotifyChanged()
    {
        Interlocked.Exchange(ref _dirty, 1);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public async Task<string> TriggerAsync(string scheduleId, string reason, string triggeredBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        ArgumentException.ThrowIfNullOrWhiteSpace(triggeredBy);
        var schedule = await _store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw new ScheduleNotFoundException(scheduleId);
        if (!schedule.Enabled)
        {
            throw new ScheduleDisabledException(scheduleId);
        }

        var parsed = _evaluator.Parse(schedule.CronExpression, schedule.TimeZone);
        var now = Truncate(_time.GetUtcNow());
        var execution = await StartAsync(new Planned(schedule, parsed), now, TriggerKind.Manual, triggeredBy, reason, cancellationToken).ConfigureAwait(false);
        return execution!.Id;
    }

    public async Task<ScheduleExecution> WaitForExecutionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        if (_running.TryGetValue(executionId, out var task))
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var stored = await _executions.GetAsync(executionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Execution '{executionId}' is unknown.");
        return stored.IsFinished ? stored : throw new InvalidOperationException($"Execution '{executionId}' runs in scheduler instance '{stored.InstanceId}'.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var link = stoppingToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _shutdown);
        Task leaseLoop = Task.CompletedTask;
        try
        {
            using var subscription = await StartUpAsync(stoppingToken).ConfigureAwait(false);
            leaseLoop = LeaseLoopAsync(stoppingToken);
            SchedulerLog.Started(_logger, _options.InstanceId, _index.Count);

            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = Volatile.Read(ref _changed).Task;
                try
                {
                    if (Interlocked.Exchange(ref _dirty, 0) == 1)
                    {
                        await ReloadAsync(startup: false, stoppingToken).ConfigureAwait(false);
                    }

                    var now = _time.GetUtcNow();
                    List<(string Id, DateTimeOffset At)> due;
                    lock (_lock)
                    {
                        due = _index.TakeDue(now);
                    }

                    foreach (var (id, at) in due)
                    {
                        await FireAsync(id, at, now, stoppingToken).ConfigureAwait(false);
                    }

                    DateTimeOffset? earliest;
                    lock (_lock)
                    {
                        earliest = _index.Earliest;
                    }

                    await SleepAsync(earliest is { } e ? e - _time.GetUtcNow() : MaxSleep, changed, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // A store outage must not kill the scheduler: log, wait, try again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    SchedulerLog.LoopFailed(_logger, ex);
                    await SleepAsync(TimeSpan.FromSeconds(30), changed, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Executions see the same token: they stop starting VMs, record the rest and persist before they finish.
            await Task.WhenAll(_running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)).Concat(_reattached).Append(leaseLoop)).ConfigureAwait(false);
            await ReleaseLeaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lease, recovery, first plan: a store that is down at start (a database still booting) is waited for, with growing
    /// pauses, rather than failing the host.
    /// </summary>
    private async Task<IDisposable> StartUpAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            IDisposable? subscription = null;
            try
            {
                await RenewLeaseAsync(stoppingToken).ConfigureAwait(false);
                _leaseHeld = true;
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
                subscription = ChangeToken.OnChange(_store.GetChangeToken, NotifyChanged);
                await ReloadAsync(startup: true, stoppingToken).ConfigureAwait(false);
                return subscription;
            }
#pragma warning disable CA1031 // Anything but a stop is retried: the host stays up and says why in its log.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                subscription?.Dispose();
                SchedulerLog.LoopFailed(_logger, ex);
                await SleepAsync(pause, changed, stoppingToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private Task RenewLeaseAsync(CancellationToken ct) =>
        _leases.RenewAsync(_options.InstanceId, _time.GetUtcNow() + _options.LeaseDuration, ct);

    /// <summary>
    /// A clean stop leaves nothing to take over; only then is the lease given back, else it lapses and a survivor takes
    /// over. Bounded: a database that is down at stop must not hold the host.
    /// </summary>
    private async Task ReleaseLeaseAsync()
    {
        if (!_leaseHeld)
        {
            return;
        }

        using var bound = new CancellationTokenSource(ReleaseBound, _time);
        try
        {
            var running = await _executions.GetRunningAsync(bound.Token).ConfigureAwait(false);
            if (running.Any(e => string.Equals(e.InstanceId, _options.InstanceId, StringComparison.Ordinal)))
            {
                return;
            }

            await _leases.ReleaseAsync(_options.InstanceId, bound.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An unreleased lease only expires later; stopping must not fail for it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.LeaseFailed(_logger, ex, _options.InstanceId);
        }
    }

    /// <summary>Keeps this instance's lease alive and takes over instances whose leases lapsed.</summary>
    private async Task LeaseLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenewLeaseAsync(stoppingToken).ConfigureAwait(false);
                foreach (var dead in await _leases.ClaimExpiredAsync(_options.InstanceId, _time.GetUtcNow(), stoppingToken).ConfigureAwait(false))
                {
                    SchedulerLog.TakingOver(_logger, dead, _options.InstanceId);
                    await InterruptAsync(
                        e => string.Equals(e.InstanceId, dead, StringComparison.Ordinal),
                        $"scheduler instance '{dead}' stopped renewing its lease; taken over by instance '{_options.InstanceId}'",
                        stoppingToken).ConfigureAwait(false);
                }

                await Task.Delay(_options.LeaseRenewInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A store outage must not end lease renewal: log, wait, try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SchedulerLog.LeaseFailed(_logger, ex, _options.InstanceId);
                try
                {
                    await Task.Delay(_options.LeaseRenewInterval, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task SleepAsync(TimeSpan wait, Task changed, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > MaxSleep ? MaxSleep : wait, _time, cts.Token);
        try
        {
            await Task.WhenAny(delay, changed).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ReloadAsync(bool startup, CancellationToken ct)
    {
        var schedules = await _store.GetSchedulesAsync(ct).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schedule in schedules)
        {
            seen.Add(schedule.Id);
            Planned? existing;
            lock (_lock)
            {
                _planned.TryGetValue(schedule.Id, out existing);
            }

            if (!schedule.Enabled)
            {
                Unplan(schedule.Id);
                continue;
            }

            if (existing is not null && existing.Schedule.CronExpression == schedule.CronExpression && existing.Schedule.TimeZone == schedule.TimeZone)
            {
                lock (_lock)
                {
                    _planned[schedule.Id] = existing with { Schedule = schedule };
                    if (_index.NextOf(schedule.Id) is null)
                    {
                        _index.Set(schedule.Id, existing.Parsed.GetNextOccurrence(now));
                    }
                }

                continue;
            }

            if (Validate(schedule) is { } problem || !_evaluator.TryParse(schedule.CronExpression, schedule.TimeZone, out var parsed, out problem))
            {
                SchedulerLog.InvalidSchedule(_logger, schedule.Id, problem ?? "invalid schedule");
                Unplan(schedule.Id);
                continue;
            }

            var planned = new Planned(schedule, parsed);
            lock (_lock)
            {
                _planned[schedule.Id] = planned;
            }

            if (startup)
            {
                await CatchUpAtStartupAsync(planned, now, ct).ConfigureAwait(false);
            }

            lock (_lock)
            {
                _index.Set(schedule.Id, parsed.GetNextOccurrence(now));
            }
        }

        lock (_lock)
        {
            foreach (var gone in _planned.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                _planned.Remove(gone);
                _index.Remove(gone);
            }
        }
    }

    private void Unplan(string scheduleId)
    {
        lock (_lock)
        {
            _planned.Remove(scheduleId);
            _index.Remove(scheduleId);
        }
    }

    private static string? Validate(ReplicationSchedule s) =>
        s.MaxConcurrentJobs < 1 ? $"MaxConcurrentJobs must be at least 1 (was {s.MaxConcurrentJobs})"
        : s.RetryAttempts is < 0 or > 100 ? $"RetryAttempts must be between 0 and 100 (was {s.RetryAttempts})"
        : s.RetryDelay < TimeSpan.Zero || s.RetryDelay > TimeSpan.FromDays(1) ? $"RetryDelay must be between 0 and 1 day (was {s.RetryDelay})"
        : s.StartingDeadline is { } d && d < TimeSpan.Zero ? "StartingDeadline must not be negative"
        : null;

    /// <summary>Occurrences missed while no scheduler ran: only the latest matters, found directly.</summary>
    private async Task CatchUpAtStartupAsync(Planned planned, DateTimeOffset now, CancellationToken ct)
    {
        var last = await _executions.GetLastOccurrenceAsync(planned.Schedule.Id, ct).ConfigureAwait(false);
        if (last is null || OccurrenceMath.Latest(planned.Parsed, last.Value, now) is not { } latest)
        {
            return;
        }

        await MisfireAsync(planned, latest, now, ct).ConfigureAwait(false);
    }

    private async Task FireAsync(string scheduleId, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken ct)
    {
        Planned? planned;
        lock (_lock)
        {
            _planned.TryGetValue(scheduleId, out planned);
        }

        if (planned is null)
        {
            return;
        }

        // If the loop woke late (host paused), several occurrences may have passed: the latest is found directly.
        var latest = OccurrenceMath.Latest(planned.Parsed, dueAt.AddSeconds(-1), now) ?? dueAt;
        if (latest == dueAt && now - dueAt <= StartingDeadline(planned.Schedule))
        {
            await StartAsync(planned, dueAt, TriggerKind.Scheduled, _options.ScheduledBy, null, ct).ConfigureAwait(false);
        }
        else
        {
            await MisfireAsync(planned, latest, now, ct).ConfigureAwait(false);
        }

        lock (_lock)
        {
            if (_planned.ContainsKey(scheduleId))
            {
                _index.Set(scheduleId, planned.Parsed.GetNextOccurrence(now));
            }
        }
    }

    private async Task MisfireAsync(Planned planned, DateTimeOffset latest, DateTimeOffset now, CancellationToken ct)
    {
        var deadline = StartingDeadline(planned.Schedule);
        var late = now - latest;
        if (planned.Schedule.MisfirePolicy == MisfirePolicy.RunLatest && late <= deadline)
        {
            await StartAsync(planned, latest, TriggerKind.CatchUp, _options.ScheduledBy, $"catch-up of occurrence {latest:O}, missed while the scheduler was not running", ct).ConfigureAwait(false);
            return;
        }

        var reason = planned.Schedule.MisfirePolicy == MisfirePolicy.Skip
            ? $"occurrence {latest:O} was missed while the scheduler was not running; misfire policy is Skip"
            : $"occurrence {latest:O} was missed while the scheduler was not running and is {late:g} late, beyond the starting deadline {deadline:g}";
        await RecordNotRunAsync(planned.Schedule, latest, TriggerKind.Scheduled, ExecutionStatus.Missed, reason, ct).ConfigureAwait(false);
    }

    private TimeSpan StartingDeadline(ReplicationSchedule schedule) => schedule.StartingDeadline ?? _options.DefaultStartingDeadline;

    private async Task<ScheduleExecution?> StartAsync(Planned planned, DateTimeOffset scheduledFor, TriggerKind kind, string triggeredBy, string? reason, CancellationToken ct)
    {
        var schedule = planned.Schedule;
        var execution = NewExecution(schedule, scheduledFor, kind, triggeredBy, reason);
        _local[execution.Id] = 0;
        if (!await _executions.TryCreateAsync(execution, ct).ConfigureAwait(false))
        {
            _local.TryRemove(execution.Id, out _);
            SchedulerLog.ClaimedElsewhere(_logger, schedule.Id, scheduledFor);
            return null;
        }

        if (schedule.SkipIfRunning && await RunningExecutionOfAsync(schedule.Id, execution.Id, ct).ConfigureAwait(false) is { } other)
        {
            return await FinishNotRunAsync(execution, ExecutionStatus.Skipped, $"execution {other} of this schedule is still running (skip if running)").ConfigureAwait(false);
        }

        SchedulerLog.ExecutionStarted(_logger, execution.Id, schedule.Id, kind, scheduledFor);
        await _events.StartedAsync(execution, ct).ConfigureAwait(false);

        // The execution deadline: the schedule's next occurrence (VMs not started by then are recorded as not started).
        var deadline = planned.Parsed.GetNextOccurrence(kind == TriggerKind.Manual ? _time.GetUtcNow() : scheduledFor);
        var task = Task.Run(() => _runner.RunAsync(execution, schedule, deadline, _shutdown.Token), CancellationToken.None);
        _running[execution.Id] = task;
        _ = task.ContinueWith(_ => _running.TryRemove(execution.Id, out Task<ScheduleExecution>? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return execution;
    }

    private async Task<string?> RunningExecutionOfAsync(string scheduleId, string exceptId, CancellationToken ct)
    {
        var running = await _executions.GetRunningAsync(ct).ConfigureAwait(false);
        return running.FirstOrDefault(e => e.ScheduleId == scheduleId && e.Id != exceptId)?.Id;
    }

    private async Task RecordNotRunAsync(ReplicationSchedule schedule, DateTimeOffset scheduledFor, TriggerKind kind, ExecutionStatus status, string reason, CancellationToken ct)
    {
        var execution = NewExecution(schedule, scheduledFor, kind, _options.ScheduledBy, reason);
        _local[execution.Id] = 0;
        if (await _executions.TryCreateAsync(execution, ct).ConfigureAwait(false))
        {
            await FinishNotRunAsync(execution, status, reason).ConfigureAwait(false);
        }
    }

    private async Task<ScheduleExecution> FinishNotRunAsync(ScheduleExecution execution, ExecutionStatus status, string reason)
    {
        var final = execution with { Status = status, CompletedAt = _time.GetUtcNow(), Reason = reason };
        await _executions.UpdateAsync(final, CancellationToken.None).ConfigureAwait(false);
        SchedulerLog.ExecutionNotRun(_logger, final.Id, final.ScheduleId, status, reason);
        _telemetry.Execution(final);
        await _events.StartedAsync(final, CancellationToken.None).ConfigureAwait(false);
        await _events.FinishedAsync(final).ConfigureAwait(false);
        return final;
    }

    private ScheduleExecution NewExecution(ReplicationSchedule schedule, DateTimeOffset scheduledFor, TriggerKind kind, string triggeredBy, string? reason) => new()
    {
        Id = $"exec-{Guid.CreateVersion7(_time.GetUtcNow()):N}",
        ScheduleId = schedule.Id,
        ScheduledFor = Truncate(scheduledFor),
        TriggerKind = kind,
        TriggeredBy = triggeredBy,
        StartedAt = _time.GetUtcNow(),
        Reason = reason,
        InstanceId = _options.InstanceId,
    };

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// Executions of this instance still marked running were cut off by a crash: they become interrupted, VMs that had not
    /// finished get an honest outcome, and jobs they created are tracked again so limits stay correct.
    /// </summary>
    private Task RecoverAsync(CancellationToken ct) =>
        InterruptAsync(
            e => e.InstanceId is null || string.Equals(e.InstanceId, _options.InstanceId, StringComparison.Ordinal),
            $"found running when scheduler instance '{_options.InstanceId}' started: its process had stopped",
            ct);

    private async Task InterruptAsync(Func<ScheduleExecution, bool> orphaned, string reason, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var running in await _executions.GetRunningAsync(ct).ConfigureAwait(false))
        {
            if (!orphaned(running) || _local.ContainsKey(running.Id))
            {
                continue;
            }

            var outcomes = running.VmOutcomes.Select(o => o.Kind switch
            {
                VmOutcomeKind.Pending => o with { Kind = VmOutcomeKind.Cancelled, Reason = "the execution was interrupted before the VM started", CompletedAt = now },
                VmOutcomeKind.Submitting => o with { Kind = VmOutcomeKind.OutcomeUnknown, Reason = "the process stopped during the submission; reconcile before resending", CompletedAt = now },
                _ => o,
            }).ToList();
            var interrupted = running with
            {
                Status = ExecutionStatus.Interrupted,
                CompletedAt = now,
                VmOutcomes = outcomes,
                Reason = reason,
            };
            await _executions.UpdateAsync(interrupted, ct).ConfigureAwait(false);
            var jobs = outcomes.Where(o => o.Kind == VmOutcomeKind.JobInProgress && o.JobId is not null).ToList();
            SchedulerLog.Interrupted(_logger, running.Id, running.InstanceId, jobs.Count);
            _telemetry.Execution(interrupted);
            await _events.FinishedAsync(interrupted).ConfigureAwait(false);

            foreach (var job in jobs)
            {
                _slots.Force(running.ScheduleId, job.GroupId);
                _reattached.Add(ReattachAsync(running.Id, running.ScheduleId, job));
            }
        }
    }

    private async Task ReattachAsync(string executionId, string scheduleId, VmOutcome outcome)
    {
        await Task.Yield();
        try
        {
            var tracker = new JobTracker(_services.GetRequiredService<IOmaClient>(), _options, _time, _telemetry);
            var (kind, reason) = await tracker.TrackAsync(outcome.JobId!, _shutdown.Token).ConfigureAwait(false);
            await _reattachGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (await _executions.GetAsync(executionId, CancellationToken.None).ConfigureAwait(false) is { } current)
                {
                    var final = outcome with { Kind = kind, Reason = reason ?? outcome.Reason, CompletedAt = _time.GetUtcNow() };
                    await _executions.UpdateAsync(current with { VmOutcomes = [.. current.VmOutcomes.Select(o => o.ContextId == outcome.ContextId ? final : o)] }, CancellationToken.None).ConfigureAwait(false);
                    _telemetry.Outcome(final);
                    SchedulerLog.VmOutcome(_logger, executionId, final.VmName, final.Kind, final.JobId, final.Reason);
                }
            }
            finally
            {
                _reattachGate.Release();
            }
        }
        finally
        {
            _slots.Release(scheduleId, outcome.GroupId);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Executions started by triggers when the loop never ran still finish their records.
        await Task.WhenAll(_running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The same instance is registered as itself, IReplicationScheduler and IHostedService, so the container disposes it more than once.
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _shutdown.Cancel();
        base.Dispose();
        _shutdown.Dispose();
        _reattachGate.Dispose();
    }

    private sealed record Planned(ReplicationSchedule Schedule, ISchedule Parsed);
}
