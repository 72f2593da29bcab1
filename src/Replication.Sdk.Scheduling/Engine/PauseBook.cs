using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The engine's side of pauses: which are in force (ending those whose resume-at has come, each reported once, by the
/// caller whose removal won), the skip tally, and the opt-in auto-pause after consecutive failed executions.
/// </summary>
internal sealed class PauseBook(
    IPauseStore store,
    ResilientExecutionStore executions,
    ExecutionEvents events,
    SchedulerTelemetry telemetry,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<PauseBook> logger)
{
    /// <summary>How many execution records an auto-pause check reads per needed run: skipped and missed records sit between runs.</summary>
    private const int ReadPerRun = 4;

    private readonly Lock _readLock = new();
    private Task<IReadOnlyList<PauseState>>? _read;
    private long _writes;
    private long _readAfterWrites;

    /// <summary>
    /// Gets the pauses in force now; pauses whose resume-at has come are removed from the store and reported. Callers that
    /// arrive while a read is in flight share it (every occurrence of a second asks, 16 at a time, twice each: before its
    /// claim and at selection), unless this process wrote a pause since that read began (<see cref="Written"/>): a pause
    /// or resume that returned is always seen by the next occurrence. The shared read is not cancelled by one caller's
    /// token; each caller stops waiting on its own.
    /// </summary>
    public Task<IReadOnlyList<PauseState>> InForceAsync(CancellationToken ct)
    {
        TaskCompletionSource<IReadOnlyList<PauseState>>? mine = null;
        Task<IReadOnlyList<PauseState>> read;
        lock (_readLock)
        {
            if (_read is null || _read.IsCompleted || _readAfterWrites != _writes)
            {
                _readAfterWrites = _writes;
                mine = new TaskCompletionSource<IReadOnlyList<PauseState>>();
                _read = mine.Task;
            }

            read = _read;
        }

        if (mine is not null)
        {
            // Outside the lock (the read reports expired pauses to observers); a store that answers at once answers this
            // caller at once too, with no hop to another thread.
            _ = CompleteAsync(mine);
        }

        return read.IsCompleted ? read : read.WaitAsync(ct);
    }

    private async Task CompleteAsync(TaskCompletionSource<IReadOnlyList<PauseState>> read)
    {
        try
        {
            read.SetResult(await ReadInForceAsync().ConfigureAwait(false));
        }
#pragma warning disable CA1031 // Handed to every caller waiting on this read.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            read.SetException(ex);
        }
    }

    /// <summary>A pause was added or removed through this process: later reads must not share one that began before it.</summary>
    public void Written()
    {
        lock (_readLock)
        {
            _writes++;
        }
    }

    private async Task<IReadOnlyList<PauseState>> ReadInForceAsync()
    {
        var ct = CancellationToken.None;
        var now = time.GetUtcNow();
        var inForce = new List<PauseState>();
        foreach (var pause in await store.GetPausesAsync(ct).ConfigureAwait(false))
        {
            if (pause.IsInForceAt(now))
            {
                inForce.Add(pause);
            }
            else if (await store.TryRemoveAsync(pause.Target, pause.Id, ct).ConfigureAwait(false) is { } ended)
            {
                // Of the instances that saw it expire, only the one whose removal won reports it.
                await ReportAsync(new ResumeReport(ended, options.Value.ScheduledBy, ended.ResumeAt!.Value, Automatic: true)).ConfigureAwait(false);
            }
        }

        return inForce;
    }

    /// <summary>Gets the pause of a schedule in force now, or <see langword="null"/>.</summary>
    public async Task<PauseState?> OfScheduleAsync(string scheduleId, CancellationToken ct) =>
        (await InForceAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => p.Target.Kind == PauseTargetKind.Schedule && string.Equals(p.Target.Id, scheduleId, StringComparison.Ordinal));

    /// <summary>Counts a skip against the pause's cap (<see cref="SchedulerOptions.MaxPausedSkipRecords"/>).</summary>
    public Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, CancellationToken ct) =>
        store.RecordSkipAsync(pauseId, executionId, occurrence, options.Value.MaxPausedSkipRecords, ct);

    /// <summary>Logs a resume and tells the observers.</summary>
    public async Task ReportAsync(ResumeReport report)
    {
        SchedulerLog.Resumed(logger, report.Pause.Target, report.ResumedBy, report.Automatic, report.SkippedCount, report.SkippedExecutionIds.Count);
        await events.ResumedAsync(report, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// After an execution ended: with <see cref="SchedulerOptions.AutoPauseAfterFailures"/> = N, the schedule is paused
    /// when its failure streak reaches N. Never throws: a failed check is logged, and the next failure checks again.
    /// </summary>
    public async Task AfterExecutionAsync(ScheduleExecution final)
    {
        if (options.Value.AutoPauseAfterFailures is not { } n || final.Status != ExecutionStatus.Failed)
        {
            return;
        }

        try
        {
            var recent = await executions.ListAsync(final.ScheduleId, (n + 1) * ReadPerRun, CancellationToken.None).ConfigureAwait(false);
            if (Streak(recent, n) != n)
            {
                return;
            }

            var pause = new PauseState
            {
                Id = NewId(),
                Target = PauseTarget.Schedule(final.ScheduleId),
                Reason = $"auto-paused after {n} consecutive failed executions (the last, {final.Id}: {final.Error ?? final.Reason ?? "no VM completed its job"})",
                PausedBy = options.Value.ScheduledBy,
                PausedAt = time.GetUtcNow(),
            };

            // An operator's pause (or another instance's auto-pause) already in force stays as it is.
            PauseState? existing;
            try
            {
                existing = await store.TryAddAsync(pause, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                Written();
            }

            if (existing is null)
            {
                SchedulerLog.AutoPaused(logger, final.ScheduleId, n, final.Id);
                telemetry.AutoPause();
                await events.AutoPausedAsync(pause, final, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The execution has ended and is recorded: a store failure here must not change it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SchedulerLog.AutoPauseFailed(logger, ex, final.ScheduleId);
        }
    }

    internal string NewId() => $"pause-{Guid.CreateVersion7(time.GetUtcNow()):N}";

    /// <summary>
    /// The schedule's failure streak, newest first, counted up to <paramref name="n"/> + 1: executions that ran
    /// (<see cref="ExecutionStatus.Completed"/>, <see cref="ExecutionStatus.CompletedWithErrors"/>, <see cref="ExecutionStatus.Failed"/>)
    /// count; skipped, missed, cancelled, interrupted and running ones neither count nor break it.
    /// </summary>
    private static int Streak(IReadOnlyList<ScheduleExecution> newestFirst, int n) =>
        newestFirst
            .Where(e => e.Status is ExecutionStatus.Completed or ExecutionStatus.CompletedWithErrors or ExecutionStatus.Failed)
            .Take(n + 1)
            .TakeWhile(e => e.Status == ExecutionStatus.Failed)
            .Count();
}
