using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// A fake clock that knows its pending timers, so a test can run the scheduler "as fast as possible": whenever the system
/// under test is quiescent (no new timer armed for a moment), jump to the earliest pending timer. Outcomes never depend on
/// real time; the short quiescence wait only lets in-flight continuations arm their timers first.
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private static readonly TimeSpan Quiescence = TimeSpan.FromMilliseconds(15);

    /// <summary>
    /// How long a loop may report working without arming a timer before the clock moves anyway. A loop that was already
    /// waiting on a timer when this run began (a store retry's backoff) armed it before the run could see it; this is the
    /// only case that waits this long, and only once per run.
    /// </summary>
    private static readonly TimeSpan BusyPatience = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Watched, DateTimeOffset> _pending = new();
    private int _version;

    /// <summary>Gets or sets a check that real I/O is in flight (a database call); the clock never jumps while it returns true.</summary>
    public Func<bool>? IsBusy { get; set; }

    /// <summary>
    /// Gets the scheduler loops on this clock, each as "is it working (not parked on its timer)". The clock does not jump
    /// while one is working and has armed no timer since it started working — it is about to arm its next sleep, and a jump
    /// now would pass an occurrence it has not planned yet. Once it arms a timer while working (a store retry's backoff),
    /// it is waiting on the clock, and the clock moves; so does it after <see cref="BusyPatience"/> of real time.
    /// </summary>
    public ConcurrentBag<Func<bool>> Loops { get; } = [];

    /// <summary>Gets or sets how much real time a <see cref="RunUntilAsync(Task, TimeSpan?)"/> may take before it gives up with a timeout.</summary>
    public TimeSpan Guard { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how far past the earliest timer each jump lands, like a real clock whose timers fire late: with a
    /// sub-second value, "now" never sits on a whole second when work wakes up.
    /// </summary>
    public TimeSpan Overshoot { get; set; }

    /// <summary>
    /// Gets or sets an instant the clock never jumps past, so a test can hold the next occurrence back until the current one
    /// is done: when the earliest pending timer lies beyond it, the clock waits for work to arm an earlier one.
    /// </summary>
    public DateTimeOffset? Horizon { get; set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new Watched(this);
        var fires = watched.Fires;
        watched.Inner = base.CreateTimer(s => { watched.Fired(); callback(s); }, state, dueTime, period);
        watched.Arm(dueTime, fires);
        return watched;
    }

    /// <summary>Runs until <paramref name="target"/> completes, jumping over idle time (at most <paramref name="maxJump"/> at once when given).</summary>
    public async Task<T> RunUntilAsync<T>(Task<T> target, TimeSpan? maxJump = null)
    {
        await RunUntilAsync((Task)target, maxJump);
        return await target;
    }

    public async Task RunUntilAsync(Task target, TimeSpan? maxJump = null)
    {
        var guard = DateTime.UtcNow + Guard;
        var idleVersion = Volatile.Read(ref _version);
        DateTime? busySince = null;
        while (!target.IsCompleted)
        {
            if (DateTime.UtcNow > guard)
            {
                throw new TimeoutException($"The awaited work did not finish; fake time is {GetUtcNow():O}, pending timers: {string.Join(", ", _pending.Values.Order())}; loops working: {string.Join(", ", Loops.Select(loop => loop()))}; version {Volatile.Read(ref _version)}, idle at {idleVersion}.");
            }

            var before = Volatile.Read(ref _version);
            await Task.WhenAny(target, Task.Delay(Quiescence));
            if (target.IsCompleted || Volatile.Read(ref _version) != before || IsBusy?.Invoke() == true)
            {
                busySince = null;
                continue;
            }

            if (!Loops.Any(loop => loop()))
            {
                idleVersion = before;
                busySince = null;
            }
            else if (before == idleVersion && DateTime.UtcNow - (busySince ??= DateTime.UtcNow) < BusyPatience)
            {
                continue;
            }

            var now = GetUtcNow();
            ReviseStale(now);
            var earliest = _pending.Values.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            if (earliest == DateTimeOffset.MaxValue)
            {
                continue;
            }

            var jump = earliest - now + Overshoot;
            if (maxJump is { } max && jump > max)
            {
                jump = max;
            }

            if (Horizon is { } horizon && now + jump > horizon)
            {
                continue;
            }

            busySince = null;
            Advance(jump > TimeSpan.Zero ? jump : TimeSpan.Zero);
        }

        await target;
    }

    /// <summary>
    /// A record at or before "now" is stale: an advance fires every timer due by then. Either the timer fired while its
    /// record was being written (an advance on another thread), or it was armed from a later "now" than recorded; in the
    /// second case it is due at most its due time from here, so the record moves there once, then goes.
    /// </summary>
    private void ReviseStale(DateTimeOffset now)
    {
        foreach (var (timer, at) in _pending)
        {
            if (at > now)
            {
                continue;
            }

            if (timer.Due > TimeSpan.Zero && !timer.Revised)
            {
                timer.Revised = true;
                _pending.TryUpdate(timer, now + timer.Due, at);
            }
            else
            {
                _pending.TryRemove(new KeyValuePair<Watched, DateTimeOffset>(timer, at));
            }
        }
    }

    private sealed class Watched(TestClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        private int _fires;

        public TimeSpan Due { get; private set; }

        public bool Revised { get; set; }

        public int Fires => Volatile.Read(ref _fires);

        /// <summary>Records the timer as armed, after <see cref="Inner"/> was; <paramref name="fires"/> is the count read before.</summary>
        public void Arm(TimeSpan dueTime, int fires)
        {
            Due = dueTime;
            Revised = false;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                clock._pending.TryRemove(this, out _);
            }
            else
            {
                var at = clock.GetUtcNow() + dueTime;
                clock._pending[this] = at;

                // It fired since it was armed, and its time has come: that firing was this arming's, so nothing is pending.
                if (Fires != fires && clock.GetUtcNow() >= at)
                {
                    clock._pending.TryRemove(new KeyValuePair<Watched, DateTimeOffset>(this, at));
                }
            }

            Interlocked.Increment(ref clock._version);
        }

        public void Fired()
        {
            Interlocked.Increment(ref _fires);
            clock._pending.TryRemove(this, out _);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var fires = Fires;
            var changed = Inner.Change(dueTime, period);
            Arm(dueTime, fires);
            return changed;
        }

        public void Dispose()
        {
            clock._pending.TryRemove(this, out _);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock._pending.TryRemove(this, out _);
            return Inner.DisposeAsync();
        }
    }
}
