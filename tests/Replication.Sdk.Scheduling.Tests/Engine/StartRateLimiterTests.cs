using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>The start-rate limiter alone, on the test clock: a burst of the rate, then the rate per second, oldest first.</summary>
public sealed class StartRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 9, 6, 59, 59, 700, TimeSpan.Zero);

    [Fact]
    public async Task StartsComeInBurstsOfTheRate_OneSecondApart_OnTheSchedulersClock_OldestFirst()
    {
        var clock = new TestClock(Start);
        using var limiter = new StartRateLimiter(Options.Create(new SchedulerOptions { MaxStartsPerSecond = 4 }), clock);
        var started = new List<(int Index, DateTimeOffset At)>();

        var waiters = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            var index = i;
            waiters.Add(Take(index));
        }

        await clock.RunUntilAsync(Task.WhenAll(waiters));

        started.Select(s => s.At - Start).Should().Equal(
            TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        started.Take(4).Select(s => s.Index).Should().Equal(0, 1, 2, 3);

        async Task Take(int index)
        {
            await limiter.AcquireAsync(CancellationToken.None);
            lock (started)
            {
                started.Add((index, clock.GetUtcNow()));
            }
        }
    }

    [Fact]
    public async Task AWaitingStart_IsCancelled_AndTakesNoPermit()
    {
        var clock = new TestClock(Start);
        using var limiter = new StartRateLimiter(Options.Create(new SchedulerOptions { MaxStartsPerSecond = 1 }), clock);
        await limiter.AcquireAsync(CancellationToken.None);

        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cancel.Token).AsTask();
        waiting.IsCompleted.Should().BeFalse("the one permit is held for a second");
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        var next = limiter.AcquireAsync(CancellationToken.None).AsTask();
        await clock.RunUntilAsync(next);
        clock.GetUtcNow().Should().Be(Start.AddSeconds(1), "the cancelled waiter took nothing: the next start comes when the first permit returns");
    }

    [Fact]
    public async Task WithoutARate_EveryStartIsAllowedAtOnce()
    {
        using var limiter = new StartRateLimiter(Options.Create(new SchedulerOptions()), TimeProvider.System);

        for (var i = 0; i < 1000; i++)
        {
            var acquire = limiter.AcquireAsync(CancellationToken.None);
            acquire.IsCompletedSuccessfully.Should().BeTrue();
            await acquire;
        }
    }
}
