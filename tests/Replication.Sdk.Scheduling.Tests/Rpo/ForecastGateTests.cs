namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>
/// <see cref="ForecastGate{TKey, TResult}"/>: identical requests in flight share one computation, at most so many run at
/// once, and a waiting request leaves when its caller cancels. Each computation here waits on a task the test completes,
/// so every step is ordered by the test, not by time.
/// </summary>
public sealed class ForecastGateTests
{
    private readonly Dictionary<string, TaskCompletionSource<string>> _running = [];
    private readonly Dictionary<string, TaskCompletionSource> _startedSignals = [];
    private readonly List<string> _started = [];

    [Fact]
    public async Task IdenticalRequestsInFlight_ShareOneComputation()
    {
        var gate = new ForecastGate<string, string>(1);

        var first = gate.RunAsync("s1", Compute("s1"), CancellationToken.None);
        var second = gate.RunAsync("s1", Compute("s1"), CancellationToken.None);

        _started.Should().Equal(["s1"], "the second joined the first");
        first.IsCompleted.Should().BeFalse();
        _running["s1"].SetResult("forecast");
        (await first).Should().Be("forecast");
        (await second).Should().BeSameAs(await first);
        gate.InFlight.Should().Be(0);

        // Over: the next request computes afresh.
        var third = gate.RunAsync("s1", Compute("s1"), CancellationToken.None);
        _started.Should().HaveCount(2);
        _running["s1"].SetResult("newer");
        (await third).Should().Be("newer");
    }

    [Fact]
    public async Task AtMostConcurrencyComputations_RunAtOnce_TheOthersWaitTheirTurn()
    {
        var gate = new ForecastGate<string, string>(2);

        var a = gate.RunAsync("a", Compute("a"), CancellationToken.None);
        var b = gate.RunAsync("b", Compute("b"), CancellationToken.None);
        var c = gate.RunAsync("c", Compute("c"), CancellationToken.None);

        _started.Should().Equal(["a", "b"], "c waits for a slot");
        gate.InFlight.Should().Be(3);
        _running["b"].SetResult("B");
        (await b).Should().Be("B");
        await WaitStartedAsync("c");
        _started.Should().Equal(["a", "b", "c"]);
        _running["a"].SetResult("A");
        _running["c"].SetResult("C");
        (await Task.WhenAll(a, c)).Should().Equal("A", "C");
    }

    [Fact]
    public async Task AWaitingRequest_LeavesWhenItsCallerCancels_AndItsComputationNeverRuns()
    {
        var gate = new ForecastGate<string, string>(1);
        using var cancel = new CancellationTokenSource();
        var a = gate.RunAsync("a", Compute("a"), CancellationToken.None);
        var b = gate.RunAsync("b", Compute("b"), cancel.Token);

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => b).Should().ThrowAsync<OperationCanceledException>();
        a.IsCompleted.Should().BeFalse("the one running is not disturbed");
        _running["a"].SetResult("A");
        (await a).Should().Be("A");
        var c = gate.RunAsync("c", Compute("c"), CancellationToken.None);
        await WaitStartedAsync("c");
        _started.Should().Equal(["a", "c"], "b's computation was abandoned while it waited");
        _running["c"].SetResult("C");
        await c;
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task OneOfTwoIdenticalRequests_Cancelling_LeavesTheOtherItsResult_AndTheLastOneCancelsTheComputation()
    {
        var gate = new ForecastGate<string, string>(1);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        CancellationToken computing = default;
        var one = gate.RunAsync("s1", ct => { computing = ct; return Compute("s1")(ct); }, first.Token);
        var two = gate.RunAsync("s1", Compute("s1"), second.Token);

        await first.CancelAsync();

        await FluentActions.Awaiting(() => one).Should().ThrowAsync<OperationCanceledException>();
        computing.IsCancellationRequested.Should().BeFalse("the other caller still waits for it");
        await second.CancelAsync();
        await FluentActions.Awaiting(() => two).Should().ThrowAsync<OperationCanceledException>();
        computing.IsCancellationRequested.Should().BeTrue("nobody waits for it any more");
        gate.InFlight.Should().Be(0, "a request arriving now starts afresh");
        _started.Should().ContainSingle();
    }

    [Fact]
    public async Task AFailure_ReachesEveryCaller_AndIsNotKept()
    {
        var gate = new ForecastGate<string, string>(1);
        var one = gate.RunAsync("s1", Compute("s1"), CancellationToken.None);
        var two = gate.RunAsync("s1", Compute("s1"), CancellationToken.None);

        _running["s1"].SetException(new ScheduleNotFoundException("s1"));

        await FluentActions.Awaiting(() => one).Should().ThrowAsync<ScheduleNotFoundException>();
        await FluentActions.Awaiting(() => two).Should().ThrowAsync<ScheduleNotFoundException>();
        gate.InFlight.Should().Be(0);
    }

    private Func<CancellationToken, Task<string>> Compute(string key) => ct =>
    {
        lock (_started)
        {
            _started.Add(key);
            var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _running[key] = running;
            _ = ct.Register(() => running.TrySetCanceled(ct));
            Started(key).TrySetResult();
            return running.Task;
        }
    };

    /// <summary>A computation that waited for a slot starts on another thread than the one that freed it: wait for that hand-off, not for time.</summary>
    private Task WaitStartedAsync(string key) => Started(key).Task.WaitAsync(TimeSpan.FromMinutes(1));

    private TaskCompletionSource Started(string key)
    {
        lock (_started)
        {
            if (!_startedSignals.TryGetValue(key, out var signal))
            {
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _startedSignals[key] = signal;
            }

            return signal;
        }
    }
}
