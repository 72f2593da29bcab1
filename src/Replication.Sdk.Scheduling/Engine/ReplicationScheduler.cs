using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The scheduler engine's loop: sleeps on the injected <see cref="TimeProvider"/> until the earliest next occurrence of any
/// enabled schedule (an index by fire time, not a per-second poll), wakes at once when schedules change, and hands each
/// due occurrence to the <see cref="OccurrenceUnit"/>. Start-up, leases, recovery and planning live in their own types.
/// </summary>
internal sealed class ReplicationScheduler : BackgroundService, IReplicationScheduler
{
    /// <summary>Task.Delay cannot wait longer than about 49 days; the loop simply wakes and re-plans.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    /// <summary>How many due occurrences are fired at once (each is a claim: a database transaction on a shared store).</summary>
    private const int FireParallelism = 16;

    /// <summary>How long the loop rests after a failure it could not attribute to one schedule (a store read).</summary>
    private static readonly TimeSpan LoopRetryDelay = TimeSpan.FromSeconds(30);

    private readonly IScheduleStore _store;
    private readonly IScheduleEvaluator _evaluator;
    private readonly ResilientExecutionStore _executions;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicationScheduler> _logger;
    private readonly SchedulePlan _plan;
    private readonly IServiceProvider _services;
    private readonly LocalExecutions _local = new();
    private readonly OccurrenceUnit _unit;
    private readonly ExecutionRecovery _recovery;
    private readonly InstanceLease _lease;
    private readonly LeaseFence _fence;
    private readonly SchedulerHealth _health;
    private readonly PauseBook _pauses;
    private readonly ExecutionActivity _activity;
    private readonly FireOrder _fireOrder;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dirty;

    /// <summary>The schedules a store's <see cref="ScheduleChangeToken"/> named since the last reload; <see langword="null"/> when any may have changed (a full reload).</summary>
    private HashSet<string>? _pendingIds = new(StringComparer.Ordinal);
    private readonly Lock _pendingLock = new();
    private int _disposed;

    /// <summary>1 while the loop is running or about to run; 0 while it is parked on its timer, or has not started.</summary>
    private int _loopBusy;
    private volatile bool _loopStarted;

    /// <summary>Set before the service's loop is scheduled (it may start on another thread), so triggers know a lease is coming.</summary>
    private volatile bool _serviceStarted;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sleeps;

    public ReplicationScheduler(
        IServiceProvider services,
        IScheduleStore store,
        ResilientExecutionStore executions,
        IInstanceLeaseStore leases,
        LeaseFence fence,
        IScheduleEvaluator evaluator,
        ExecutionRunner runner,
        SlotBoard slots,
        ExecutionEvents events,
        SchedulerTelemetry telemetry,
        IOptions<SchedulerOptions> options,
        TimeProvider time,
        ILogger<ReplicationScheduler> logger,
        SchedulerHealth health,
        PauseBook pauses)
    {
        _pauses = pauses;
        _activity = runner.Activity;
        _health = health;
        _store = store;
        _evaluator = evaluator;
        _executions = executions;
        _options = options.Value;
        _fireOrder = new FireOrder(_options.InstanceId);
        _time = time;
        _logger = logger;
        _fence = fence;
        _plan = new SchedulePlan(store, evaluator, logger, _options.RpoPlanningInterval);
        var rpo = new RpoPlanningStep(store, executions, slots, services.GetRequiredService<RpoTracker>(), services.GetRequiredService<RpoBoard>(), services.GetRequiredService<RpoHistory>(), events, telemetry, _options, logger);
        _unit = new OccurrenceUnit(executions, runner, events, telemetry, _options, time, _plan, _local, fence, pauses, logger, rpo);
        _services = services;
        _recovery = new ExecutionRecovery(services, executions, slots, events, telemetry, _options, time, _local, fence, logger);
        _lease = new InstanceLease(leases, fence, health, executions, _recovery, _options, time, logger);
        fence.OnLost = NotifyChanged;
    }

    /// <summary>Gets the next planned fire time of a schedule (for tests and diagnostics).</summary>
    internal DateTimeOffset? NextFireTime(string scheduleId) => _plan.NextFireTime(scheduleId);

    /// <summary>
    /// Gets a value indicating whether the loop is working (not parked on its timer): a test clock must not jump while it
    /// is, or it would pass an occurrence the loop has not armed yet. A deterministic hand-off, not a quiet period.
    /// </summary>
    internal bool IsLoopBusy => Volatile.Read(ref _loopBusy) == 1;

    /// <summary>
    /// Gets a value indicating whether an execution of this process is working between two of its waits (a VM started,
    /// the next spread start not armed yet): the same hand-off as <see cref="IsLoopBusy"/>, for the executions.
    /// </summary>
    internal bool IsExecutionWorking => _activity.IsWorking;

    /// <summary>Gets the executions and background tasks this process holds now (for tests of a long-running host).</summary>
    internal (int Executions, int Background) Held => (_local.Count, _local.BackgroundCount);

    /// <inheritdoc />
    public Task<IReadOnlyList<SchedulePreview>> PreviewAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _services.GetRequiredService<SchedulePreviewer>().PreviewAllAsync(from, until, cancellationToken);

    /// <inheritdoc />
    public Task<SchedulePreview> PreviewAsync(string scheduleId, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _services.GetRequiredService<SchedulePreviewer>().PreviewOneAsync(scheduleId, from, until, cancellationToken);

    public void NotifyChanged() => MarkChanged(null);

    /// <summary>Gets how many schedule rows the plan (re)planned so far (for tests and diagnostics: an edit of one schedule adds one).</summary>
    internal long Replanned => _plan.Replanned;

    /// <summary>Gets how many schedules are in the plan now (for tests and benchmarks).</summary>
    internal int PlannedCount => _plan.Count;

    /// <summary>Records what changed (<see langword="null"/>: anything) and wakes the loop.</summary>
    private void MarkChanged(IReadOnlyCollection<string>? scheduleIds)
    {
        lock (_pendingLock)
        {
            if (scheduleIds is null)
            {
                _pendingIds = null;
            }
            else
            {
                _pendingIds?.UnionWith(scheduleIds);
            }
        }

        Interlocked.Exchange(ref _dirty, 1);
        if (_loopStarted)
        {
            Volatile.Write(ref _loopBusy, 1);
        }

        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public Task<string> TriggerAsync(string scheduleId, string reason, string triggeredBy, CancellationToken cancellationToken = default) =>
        TriggerAsync(scheduleId, reason, triggeredBy, force: false, cancellationToken);

    public async Task<string> TriggerAsync(string scheduleId, string reason, string triggeredBy, bool force, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(triggeredBy);
        var planned = await LoadRunnableAsync(scheduleId, cancellationToken).ConfigureAwait(false);
        await WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);

        var execution = await _unit.StartAsync(planned, OccurrenceUnit.Truncate(_time.GetUtcNow()), TriggerKind.Manual, triggeredBy, reason, cancellationToken, force).ConfigureAwait(false);
        return execution!.Id;
    }

    public async Task<BackfillResult> BackfillAsync(string scheduleId, DateTimeOffset fromInclusive, DateTimeOffset toExclusive, int maxRuns = 10, CancellationToken cancellationToken = default)
    {
        InstantBounds.Require(fromInclusive, nameof(fromInclusive));
        InstantBounds.Require(toExclusive, nameof(toExclusive));
        if (fromInclusive >= toExclusive)
        {
            throw new ArgumentException($"The backfill range must not be empty: its start ({fromInclusive:O}) must be before its end ({toExclusive:O}).", nameof(fromInclusive));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRuns, BackfillResult.MaxRuns);
        var planned = await LoadRunnableAsync(scheduleId, cancellationToken).ConfigureAwait(false);
        await WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);

        // Only past occurrences: the range ends at "now", so a backfill never claims what the loop is yet to fire.
        var now = _time.GetUtcNow();
        var until = toExclusive.AddTicks(-1) < now ? toExclusive.AddTicks(-1) : now;
        return await _unit.BackfillAsync(planned, fromInclusive, until, maxRuns, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same rules as the cron path, so a row that would never fire by itself cannot be forced to run either.</summary>
    private async Task<PlannedSchedule> LoadRunnableAsync(string scheduleId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        var schedule = await _store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw new ScheduleNotFoundException(scheduleId);
        if (!schedule.Enabled)
        {
            throw new ScheduleDisabledException(scheduleId);
        }

        var problems = ScheduleRules.Problems(schedule);
        var groups = await _store.GetGroupsAsync(scheduleId, cancellationToken).ConfigureAwait(false);
        problems.AddRange(groups.Select(ScheduleRules.Problem).OfType<string>());
        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(scheduleId, problems);
        }

        // A pause is an operator's "do not run": a trigger is refused, naming the pause, rather than run over it or skipped in silence.
        if (await _pauses.OfScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) is { } pause)
        {
            throw new SchedulePausedException(pause);
        }

        if (schedule.Kind == ScheduleKind.Rpo)
        {
            // A manual trigger of an RPO schedule runs all its VMs now, like a cron schedule's.
            return new PlannedSchedule(schedule, new RpoTicks(_options.RpoPlanningInterval));
        }

        // The evaluator's typed ScheduleFormatException names the field at fault.
        return new PlannedSchedule(schedule, _evaluator.Parse(HashedCron.Resolve(schedule.CronExpression, schedule.Id), schedule.TimeZone));
    }

    /// <summary>
    /// A running service records every execution under its lease, so a trigger waits for it (start-up, or rejoining
    /// after a lost lease). A host that never started the service runs triggers without one.
    /// </summary>
    private async Task WaitForLeaseAsync(CancellationToken cancellationToken)
    {
        while (_serviceStarted && _fence.Current is null)
        {
            var acquired = _fence.WhenAcquired();
            var service = Completion;
            if (await Task.WhenAny(acquired, service).WaitAsync(cancellationToken).ConfigureAwait(false) != acquired && _fence.Current is null)
            {
                throw new InvalidOperationException($"Scheduler instance '{_options.InstanceId}' is not running: {service.Exception?.InnerException?.Message ?? "it stopped"}");
            }
        }
    }

    public async Task<ScheduleExecution> WaitForExecutionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionId);
        if (_local.TryGetRunning(executionId, out var task))
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Another instance runs it (or it is finishing): follow the store until it ends.
        var pause = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            var stored = await _executions.GetAsync(executionId, cancellationToken).ConfigureAwait(false) ?? throw new ExecutionNotFoundException(executionId);
            if (stored.IsFinished)
            {
                return stored;
            }

            if (_local.TryGetRunning(executionId, out task))
            {
                return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
        }
    }

    /// <summary>
    /// Gets a task that ends with the loop (faulted with the reason when it could not run, such as a live duplicate id):
    /// BackgroundService's own task may outlive the loop, so triggers and tests wait on this one.
    /// </summary>
    internal Task Completion => _completion.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunLoopAsync(stoppingToken).ConfigureAwait(false);
            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            throw;
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        _loopStarted = true;
        Volatile.Write(ref _loopBusy, 1);
        using var link = stoppingToken.Register(static s => ((LocalExecutions)s!).Stop(), _local);
        try
        {
            // One pass per lease: a lost lease (this process was paused or cut off while another instance took its work
            // over) abandons every execution of that lease, then the instance rejoins with a new one.
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunUnderOneLeaseAsync(stoppingToken).ConfigureAwait(false);
                _local.Resume();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (DuplicateSchedulerInstanceException)
        {
            // The host stops (BackgroundService failure) but would exit 0: a supervisor must see a failed start.
            if (Environment.ExitCode == 0)
            {
                Environment.ExitCode = 1;
            }

            throw;
        }
        finally
        {
            await _lease.ReleaseAsync().ConfigureAwait(false);
            _loopStarted = false;
            Volatile.Write(ref _loopBusy, 0);
            _health.Stopped();
        }
    }

    private async Task RunUnderOneLeaseAsync(CancellationToken stoppingToken)
    {
        var keepLease = Task.CompletedTask;
        _health.Starting(_time.GetUtcNow());
        try
        {
            using var subscription = await StartUpAsync(stoppingToken).ConfigureAwait(false);
            keepLease = _lease.KeepAsync(stoppingToken);
            SchedulerLog.Started(_logger, _options.InstanceId, _plan.Count);

            while (!stoppingToken.IsCancellationRequested && !_fence.IsLost)
            {
                var changed = Volatile.Read(ref _changed).Task;
                _health.Woke(_time.GetUtcNow());
                try
                {
                    if (Interlocked.Exchange(ref _dirty, 0) == 1)
                    {
                        await ReloadAsync(stoppingToken).ConfigureAwait(false);
                    }

                    await FireDueAsync(_plan.TakeDue(_time.GetUtcNow()), stoppingToken).ConfigureAwait(false);

                    _health.PassCompleted();
                    if (_fence.IsLost)
                    {
                        break;
                    }

                    await SleepAsync(_plan.Earliest is { } e ? e - _time.GetUtcNow() : MaxSleep, changed, stoppingToken).ConfigureAwait(false);
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
                    _health.Failed(ex);
                    await SleepAsync(LoopRetryDelay, changed, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                _local.Abandon();
            }

            // Executions see the same token: on a stop they stop starting VMs, record the rest and persist before they
            // finish; abandoned ones end without writing.
            await Task.WhenAll(_local.WhenAllEnded(), keepLease).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fires the schedules due now. Each claim is a database round trip or more, and every instance of a cluster tries
    /// every due occurrence (most lose the claim), so they are fired side by side, up to <see cref="FireParallelism"/> at
    /// once: 50 occurrences due in one second do not wait for each other's claims. One due schedule fires inline.
    /// Occurrences due at the same instant are fired in this instance's own order (<see cref="FireOrder"/>): were every
    /// instance to take them in one order, all would claim the same occurrence at the same moment, two waiting on the
    /// first one's row lock only to lose, while the next occurrences waited behind them.
    /// </summary>
    private async Task FireDueAsync(List<(string Id, DateTimeOffset DueAt)> due, CancellationToken stoppingToken)
    {
        if (due.Count == 1)
        {
            await _unit.FireAsync(due[0].Id, due[0].DueAt, stoppingToken).ConfigureAwait(false);
            return;
        }

        due.Sort(_fireOrder.Compare);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = FireParallelism, CancellationToken = CancellationToken.None },
            async (d, _) => await _unit.FireAsync(d.Id, d.DueAt, stoppingToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-plans what changed: only the schedules a <see cref="ScheduleChangeToken"/> named, or every schedule when the
    /// change was not attributed (a plain token, <see cref="NotifyChanged"/>). A failed reload keeps the change pending,
    /// so the next pass reads those schedules again.
    /// </summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        HashSet<string>? ids;
        lock (_pendingLock)
        {
            ids = _pendingIds;
            _pendingIds = new HashSet<string>(StringComparer.Ordinal);
        }

        try
        {
            if (ids is null)
            {
                await _plan.LoadAsync(_time.GetUtcNow(), catchUp: null, ct).ConfigureAwait(false);
            }
            else if (ids.Count > 0)
            {
                await _plan.ReplanAsync(ids, _time.GetUtcNow(), ct).ConfigureAwait(false);
            }
        }
        catch
        {
            MarkChanged(ids);
            throw;
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
            ScheduleChangeSubscription? subscription = null;
            try
            {
                await _lease.AcquireAsync(wait => SleepAsync(wait, Task.Delay(Timeout.Infinite, stoppingToken), stoppingToken), stoppingToken).ConfigureAwait(false);
                await _recovery.RecoverOwnAsync(stoppingToken).ConfigureAwait(false);
                subscription = new ScheduleChangeSubscription(_store.GetChangeToken, MarkChanged);
                Interlocked.Exchange(ref _dirty, 0);
                lock (_pendingLock)
                {
                    _pendingIds = new HashSet<string>(StringComparer.Ordinal);
                }

                await _plan.LoadAsync(_time.GetUtcNow(), _unit.CatchUpAsync, stoppingToken).ConfigureAwait(false);
                _health.PassCompleted();
                return subscription;
            }
#pragma warning disable CA1031 // Anything but a stop or a live duplicate is retried: the host stays up and says why in its log.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not DuplicateSchedulerInstanceException)
#pragma warning restore CA1031
            {
                subscription?.Dispose();
                SchedulerLog.LoopFailed(_logger, ex);
                _health.Failed(ex);
                await SleepAsync(pause, changed, stoppingToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task SleepAsync(TimeSpan wait, Task changed, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var bounded = wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > MaxSleep ? MaxSleep : wait;
        _health.Parked(_time.GetUtcNow() + bounded);
        var delay = Task.Delay(bounded, _time, cts.Token);

        // Parked only once the timer is armed; busy again the moment it fires (synchronously, inside the clock's advance).
        // A sleep that was cut short is cancelled later, so only this sleep's own firing may mark the loop busy.
        var generation = Interlocked.Increment(ref _sleeps);
        Volatile.Write(ref _loopBusy, 0);
        _ = delay.ContinueWith(
            static (_, s) =>
            {
                var (self, gen) = ((ReplicationScheduler Self, int Generation))s!;
                if (Volatile.Read(ref self._sleeps) == gen)
                {
                    Volatile.Write(ref self._loopBusy, 1);
                }
            },
            (this, generation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
        try
        {
            await Task.WhenAny(delay, changed).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _loopBusy, 1);
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // BackgroundService runs ExecuteAsync on the thread pool: until it is scheduled, the loop is about to run, not
        // parked, so a test clock must not jump past the first occurrence meanwhile.
        _serviceStarted = true;
        Volatile.Write(ref _loopBusy, 1);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _local.StopAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Executions started by triggers when the loop never ran still finish their records.
        await _local.WhenAllEnded().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The same instance is registered as itself, IReplicationScheduler and IHostedService, so the container disposes it more than once.
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _local.Stop();
        base.Dispose();
        _local.Dispose();
        _recovery.Dispose();
    }
}
