using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>
/// Issue 19: the occurrences of one second each ask for the pauses in force (before the claim and at selection). Asks
/// that arrive while a read is in flight share it; a pause or resume made through this process is still seen by the very
/// next ask, and one caller's cancellation does not cancel the read the others wait for.
/// </summary>
public sealed class PauseReadSharingTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 30, 0, 59, 58, 500, TimeSpan.Zero);

    [Fact]
    public async Task AsksDuringAReadInFlight_ShareIt_OneStoreRead()
    {
        await using var h = Create(out var pauses);
        var book = h.Services.GetRequiredService<PauseBook>();
        pauses.Hold();

        var asks = Enumerable.Range(0, 16).Select(_ => book.InForceAsync(CancellationToken.None)).ToList();
        await pauses.WaitForReadsAsync(1);
        pauses.Release();
        await Task.WhenAll(asks);

        pauses.Reads.Should().Be(1);
        (await book.InForceAsync(CancellationToken.None)).Should().BeEmpty();
        pauses.Reads.Should().Be(2, "a read that completed is not reused: only asks made while it is in flight share it");
    }

    [Fact]
    public async Task APauseMadeHere_WhileAReadIsInFlight_IsSeenByTheNextAsk()
    {
        await using var h = Create(out var pauses);
        h.Schedule();
        var book = h.Services.GetRequiredService<PauseBook>();
        pauses.Hold();
        var early = book.InForceAsync(CancellationToken.None);
        await pauses.WaitForReadsAsync(1);

        // The pause is written while the first read is held; its own pre-read joins that read, so release it meanwhile.
        var pausing = h.Services.GetRequiredService<IPauseControl>().PauseAsync(PauseTarget.Schedule("s1"), "maintenance", "alice");
        pauses.Release();
        await pausing;
        var next = await book.InForceAsync(CancellationToken.None);

        (await early).Should().BeEmpty("it read before the pause");
        next.Should().ContainSingle(p => p.Target == PauseTarget.Schedule("s1"));
    }

    [Fact]
    public async Task OneCallerCancelled_TheOthersStillGetTheRead()
    {
        await using var h = Create(out var pauses);
        var book = h.Services.GetRequiredService<PauseBook>();
        await pauses.TryAddAsync(new PauseState { Id = "p1", Target = PauseTarget.Group("g1"), Reason = "r", PausedBy = "alice", PausedAt = Start });
        pauses.Hold();
        using var cancel = new CancellationTokenSource();

        var cancelled = book.InForceAsync(cancel.Token);
        var other = book.InForceAsync(CancellationToken.None);
        await pauses.WaitForReadsAsync(1);
        await cancel.CancelAsync();
        var cancelledWait = async () => await cancelled;
        await cancelledWait.Should().ThrowAsync<OperationCanceledException>();
        pauses.Release();

        (await other).Should().ContainSingle(p => p.Id == "p1");
        pauses.Reads.Should().Be(1);
    }

    private static SchedulerHarness Create(out GatedPauseStore pauses)
    {
        var gated = new GatedPauseStore();
        pauses = gated;
        return SchedulerHarness.Create(Start, configure: b => b.Services.Replace(ServiceDescriptor.Singleton<IPauseStore>(gated)));
    }

    /// <summary>An in-memory pause store whose reads can be held, counting them.</summary>
    private sealed class GatedPauseStore : IPauseStore
    {
        private readonly InMemoryPauseStore _inner = new();
        private readonly SemaphoreSlim _started = new(0);
        private TaskCompletionSource _gate = CompletedGate();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task WaitForReadsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _started.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        public async Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            _started.Release();
            await _gate.Task.WaitAsync(cancellationToken);
            return await _inner.GetPausesAsync(cancellationToken);
        }

        public Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default) => _inner.TryAddAsync(pause, cancellationToken);

        public Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default) => _inner.TryRemoveAsync(target, pauseId, cancellationToken);

        public Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default) =>
            _inner.RecordSkipAsync(pauseId, executionId, occurrence, cap, cancellationToken);

        private static TaskCompletionSource CompletedGate()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }
}
