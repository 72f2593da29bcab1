using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>What every <see cref="IPauseStore"/> must do; the same suite runs against the in-memory and the MySQL stores.</summary>
public abstract class PauseStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);

    protected IPauseStore Pauses { get; private set; } = null!;

    public async Task InitializeAsync() => Pauses = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Gets why this backend cannot run here (the test skips), or null.</summary>
    protected virtual string? Unavailable => null;

    protected abstract Task<IPauseStore> CreateStoreAsync();

    [SkippableFact]
    public async Task Add_ThenGet_RoundTripsEveryField_AtMicrosecondPrecision()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var schedule = Pause("p1", PauseTarget.Schedule("s1")) with { ResumeAt = At.AddHours(6).AddTicks(4_560), Reason = "storage migration — CHG-42 ✓" };
        var vm = Pause("p2", PauseTarget.Vm("ctx-01")) with { PausedAt = At.AddSeconds(1) };

        (await Pauses.TryAddAsync(schedule)).Should().BeNull();
        (await Pauses.TryAddAsync(vm)).Should().BeNull();

        (await Pauses.GetPausesAsync()).Should().BeEquivalentTo([schedule, vm], o => o.WithStrictOrdering());
    }

    [SkippableFact]
    public async Task Add_OfAPausedTarget_ReturnsTheExistingPause_AndOneOfConcurrentAddsWins()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Pauses.TryAddAsync(Pause($"p{i}", PauseTarget.Group("g1"))))));

        results.Count(r => r is null).Should().Be(1);
        var winner = (await Pauses.GetPausesAsync()).Should().ContainSingle().Which;
        results.Where(r => r is not null).Should().OnlyContain(r => r!.Id == winner.Id);
        (await Pauses.TryAddAsync(Pause("other", PauseTarget.Schedule("g1")))).Should().BeNull("a schedule and a group with the same id are different targets");
    }

    [SkippableFact]
    public async Task Remove_ReturnsThePauseWithItsTally_ToOneCaller_AndOnlyTheNamedPause()
    {
        Skip.If(Unavailable is not null, Unavailable);
        await Pauses.TryAddAsync(Pause("p1", PauseTarget.Schedule("s1")));
        (await Pauses.RecordSkipAsync("p1", "exec-1", At, 10)).Should().Be(PauseSkipTally.Recorded);

        (await Pauses.TryRemoveAsync(PauseTarget.Schedule("s1"), "p-newer")).Should().BeNull("an automatic resume never ends another pause of the target");
        var removed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Pauses.TryRemoveAsync(PauseTarget.Schedule("s1"), null))));

        var ended = removed.Should().ContainSingle(r => r != null).Which!;
        ended.Id.Should().Be("p1");
        ended.SkippedCount.Should().Be(1);
        ended.SkippedExecutionIds.Should().Equal("exec-1");
        (await Pauses.GetPausesAsync()).Should().BeEmpty();
        (await Pauses.RecordSkipAsync("p1", "exec-2", At.AddMinutes(1), 10)).Should().Be(PauseSkipTally.NotPaused);

        // Paused again: a new pause with an empty tally.
        await Pauses.TryAddAsync(Pause("p2", PauseTarget.Schedule("s1")));
        (await Pauses.GetPausesAsync()).Single().Should().Match<PauseState>(p => p.Id == "p2" && p.SkippedCount == 0 && p.SkippedExecutionIds.Count == 0 && p.LastSkippedOccurrence == null);
    }

    [SkippableFact]
    public async Task RecordSkip_CountsEverySkip_KeepsIdsUpToTheCap()
    {
        Skip.If(Unavailable is not null, Unavailable);
        await Pauses.TryAddAsync(Pause("p1", PauseTarget.Schedule("s1")));

        var tallies = new List<PauseSkipTally>();
        for (var i = 0; i < 4; i++)
        {
            tallies.Add(await Pauses.RecordSkipAsync("p1", $"exec-{i}", At.AddMinutes(i).AddMilliseconds(400), 2));
        }

        tallies.Should().Equal(PauseSkipTally.Recorded, PauseSkipTally.Recorded, PauseSkipTally.Counted, PauseSkipTally.Counted);
        var pause = (await Pauses.GetPausesAsync()).Single();
        pause.SkippedCount.Should().Be(4);
        pause.SkippedExecutionIds.Should().Equal("exec-0", "exec-1");
        pause.LastSkippedOccurrence.Should().Be(At.AddMinutes(3), "occurrences are kept to the second, as claims are");
        (await Pauses.RecordSkipAsync("p1", "exec-x", null, 0)).Should().Be(PauseSkipTally.Counted, "a cap of 0 keeps no ids");
    }

    [SkippableFact]
    public async Task RecordSkip_AnOccurrence_IsCountedOnce_UnderConcurrentInstances_AndNeverAnEarlierOne()
    {
        Skip.If(Unavailable is not null, Unavailable);
        await Pauses.TryAddAsync(Pause("p1", PauseTarget.Schedule("s1")));
        await Pauses.RecordSkipAsync("p1", "exec-first", At, 100);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Pauses.RecordSkipAsync("p1", $"exec-{i}", At.AddMinutes(1), 100))));

        results.Count(r => r == PauseSkipTally.Recorded).Should().Be(1);
        results.Count(r => r == PauseSkipTally.AlreadyCounted).Should().Be(15);
        (await Pauses.RecordSkipAsync("p1", "exec-late", At.AddSeconds(30), 100)).Should().Be(PauseSkipTally.AlreadyCounted, "an occurrence before the last counted one was counted already");
        (await Pauses.GetPausesAsync()).Single().SkippedCount.Should().Be(2);
    }

    [SkippableFact]
    public async Task RecordSkip_WithoutAnOccurrence_CountsEachConcurrentSkip_AndKeepsExactlyTheCap()
    {
        Skip.If(Unavailable is not null, Unavailable);
        await Pauses.TryAddAsync(Pause("p1", PauseTarget.Vm("ctx-1")));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Pauses.RecordSkipAsync("p1", $"exec-{i:00}", null, 5))));

        results.Count(r => r == PauseSkipTally.Recorded).Should().Be(5);
        results.Count(r => r == PauseSkipTally.Counted).Should().Be(15);
        var pause = (await Pauses.GetPausesAsync()).Single();
        pause.SkippedCount.Should().Be(20);
        pause.SkippedExecutionIds.Should().HaveCount(5).And.OnlyHaveUniqueItems();
        pause.LastSkippedOccurrence.Should().BeNull();
        (await Pauses.RecordSkipAsync("unknown", "exec-x", null, 5)).Should().Be(PauseSkipTally.NotPaused);
    }

    protected static PauseState Pause(string id, PauseTarget target) => new()
    {
        Id = id, Target = target, Reason = "maintenance", PausedBy = "alice", PausedAt = At.AddTicks(1_234_560),
    };
}

public sealed class InMemoryPauseStoreContractTests : PauseStoreContractTests
{
    protected override Task<IPauseStore> CreateStoreAsync() => Task.FromResult<IPauseStore>(new InMemoryPauseStore());
}

[Collection(MariaDbCollection.Name)]
public sealed class MySqlPauseStoreContractTests(MariaDbServer server) : PauseStoreContractTests
{
    private ServiceProvider? _services;

    protected override string? Unavailable => MariaDbServer.InCi ? null : server.Unavailable;

    protected override async Task<IPauseStore> CreateStoreAsync()
    {
        if (Unavailable is not null)
        {
            // Each test skips with the install hint; this store is never used.
            return new InMemoryPauseStore();
        }

        _services = MySqlStack.Services(await server.CreateApplianceDatabaseAsync());
        return _services.GetRequiredService<IPauseStore>();
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
