using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells a test when code under test has armed a timer (a delay or a timeout),
/// so the test advances time exactly after it — no sleeping, no polling of the wall clock.
/// </summary>
/// <remarks>Timers are watched both at creation and on <see cref="ITimer.Change"/>: a timed CancellationTokenSource arms its timer through Change.</remarks>
internal sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _armed = new();
    private readonly SemaphoreSlim _signal = new(0);

    public IReadOnlyCollection<TimeSpan> ArmedTimers => _armed.ToArray();

    public int ArmedCount => _armed.Count;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new WatchedTimer(base.CreateTimer(callback, state, dueTime, period), this);
    }

    /// <summary>Waits (on a signal, bounded by a real-time safety net) until a timer matching <paramref name="match"/> is armed after the first <paramref name="skip"/> timers.</summary>
    public async Task WaitForTimerAsync(Func<TimeSpan, bool> match, int skip = 0)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!_armed.ToArray().Skip(skip).Any(match))
        {
            await _signal.WaitAsync(guard.Token);
        }
    }

    /// <summary>
    /// Runs <paramref name="task"/> to completion, advancing the clock by each newly armed timer that <paramref name="isDelay"/>
    /// selects (for example a poll delay, not a request timeout). Waits on signals only.
    /// </summary>
    public async Task DriveAsync(Task task, Func<TimeSpan, bool> isDelay)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var consumed = 0;
        while (!task.IsCompleted)
        {
            var armed = _armed.ToArray();
            if (armed.Length > consumed)
            {
                foreach (var due in armed.Skip(consumed).Where(isDelay))
                {
                    Advance(due);
                }

                consumed = armed.Length;
                continue;
            }

            await Task.WhenAny(task, _signal.WaitAsync(guard.Token));
        }

        await task;
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _armed.Enqueue(dueTime);
            _signal.Release();
        }
    }

    private sealed class WatchedTimer(ITimer inner, WatchedTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
