namespace Replication.Sdk.Chaos;

/// <summary>
/// Pauses one scheduler instance the way a frozen VM or a stopped process does, in-process: its timers do not fire, its
/// HTTP calls and store calls do not proceed, until it is thawed (a kill is a freeze that never thaws). Work that was due
/// while frozen runs at the thaw, late, exactly as it would in a process that resumes.
/// </summary>
internal sealed class Freezer
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _thawed = Thawed();
    private List<Action> _deferred = [];
    private bool _frozen;

    public bool IsFrozen
    {
        get
        {
            lock (_lock)
            {
                return _frozen;
            }
        }
    }

    public void Freeze()
    {
        lock (_lock)
        {
            if (!_frozen)
            {
                _frozen = true;
                _thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Thaw()
    {
        List<Action> deferred;
        TaskCompletionSource thawed;
        lock (_lock)
        {
            _frozen = false;
            deferred = _deferred;
            _deferred = [];
            thawed = _thawed;
        }

        thawed.TrySetResult();
        foreach (var callback in deferred)
        {
            callback();
        }
    }

    /// <summary>Completes at once when not frozen; else at the thaw.</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            return _thawed.Task;
        }
    }

    /// <summary>Runs a timer callback now, or at the thaw when frozen.</summary>
    public void Run(Action callback)
    {
        lock (_lock)
        {
            if (_frozen)
            {
                _deferred.Add(callback);
                return;
            }
        }

        callback();
    }

    private static TaskCompletionSource Thawed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}

/// <summary>The shared clock as one instance sees it: the same time, but its timers wait while the instance is frozen.</summary>
internal sealed class FreezableTimeProvider(TimeProvider inner, Freezer freezer) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(s => freezer.Run(() => callback(s)), state, dueTime, period);
}

/// <summary>Holds an instance's HTTP requests while it is frozen (a paused process sends nothing), and counts those on the wire.</summary>
internal sealed class FreezeHandler(Freezer freezer, ChaosInstance instance) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await freezer.WaitAsync().WaitAsync(cancellationToken);
        HttpResponseMessage response;
        instance.RequestStarted();
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            instance.RequestEnded();
        }

        // A process frozen while its request was on the wire sees the answer only when it resumes.
        await freezer.WaitAsync().WaitAsync(cancellationToken);
        return response;
    }
}
