namespace Replication.Sdk.Scheduling.Tests.Stores;

/// <summary>
/// <see cref="InMemoryScheduleStore"/>'s conditional writes: the precondition sees what the store's reads return (null for
/// none), is checked under the store's lock with the write, and nothing is written or fired when it does not hold.
/// </summary>
public sealed class InMemoryConditionalWriteTests : IDisposable
{
    private readonly InMemoryScheduleStore _store = new();

    public void Dispose() => _store.Dispose();

    private static ReplicationSchedule Schedule(string id, string cron = "0 2 * * *") => new() { Id = id, Name = id, CronExpression = cron };

    [Fact]
    public async Task AScheduleWrite_WhosePreconditionHolds_IsWritten_AndItSawWhatGetReturns()
    {
        await _store.UpsertScheduleAsync(Schedule("s1"));
        var read = await _store.GetScheduleAsync("s1");
        ReplicationSchedule? seen = null;

        await _store.UpsertScheduleAsync(Schedule("s1", "0 3 * * *"), current => { seen = current; return true; });

        seen.Should().BeSameAs(read);
        (await _store.GetScheduleAsync("s1"))!.CronExpression.Should().Be("0 3 * * *");
        (await _store.DeleteScheduleAsync("s1", current => current?.CronExpression == "0 3 * * *")).Should().BeTrue();
        (await _store.GetScheduleAsync("s1")).Should().BeNull();
    }

    [Fact]
    public async Task WritesWhosePreconditionFails_Throw_WriteNothing_AndFireNothing()
    {
        await _store.UpsertScheduleAsync(Schedule("s1"));
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1", MaxConcurrentVms = 3 });
        var token = _store.GetChangeToken();

        var upsert = () => _store.UpsertScheduleAsync(Schedule("s1", "0 4 * * *"), _ => false);
        var delete = () => _store.DeleteScheduleAsync("s1", _ => false);
        var group = () => _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", MaxConcurrentVms = 9 }, _ => false);
        var deleteGroup = () => _store.DeleteGroupAsync("g1", _ => false);

        var failed = (await upsert.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which;
        failed.Target.Should().Be(PauseTarget.Schedule("s1"));
        failed.Exists.Should().BeTrue();
        failed.Message.Should().Be("The write of schedule 's1' was refused: its precondition does not hold for the schedule stored now; nothing was written.");
        (await delete.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Target.Should().Be(PauseTarget.Schedule("s1"));
        (await group.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Target.Should().Be(PauseTarget.Group("g1"));
        (await deleteGroup.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeTrue();
        (await _store.GetScheduleAsync("s1")).Should().Be(Schedule("s1"));
        (await _store.GetGroupAsync("g1"))!.MaxConcurrentVms.Should().Be(3);
        token.HasChanged.Should().BeFalse();
    }

    [Fact]
    public async Task WhatDoesNotExist_IsNullToThePrecondition()
    {
        var seen = new List<object?>();
        bool Absent(object? current)
        {
            seen.Add(current);
            return current is null;
        }

        await _store.UpsertScheduleAsync(Schedule("s1"), Absent);
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1" }, Absent);
        (await _store.DeleteScheduleAsync("none", Absent)).Should().BeFalse("it held for none, and there is nothing to delete");
        (await _store.DeleteGroupAsync("none", Absent)).Should().BeFalse();
        var again = () => _store.UpsertScheduleAsync(Schedule("s1", "0 5 * * *"), Absent);
        var missing = () => _store.DeleteGroupAsync("other", _ => false);

        seen.Should().HaveCount(4).And.OnlyContain(s => s == null);
        (await again.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeTrue();
        var failed = (await missing.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which;
        failed.Exists.Should().BeFalse();
        failed.Message.Should().Be("The write of group 'other' was refused: its precondition does not hold while group 'other' does not exist; nothing was written.");
        (await _store.GetScheduleAsync("s1"))!.CronExpression.Should().Be("0 2 * * *");
    }

    [Fact]
    public async Task APreconditionThatThrows_WritesNothing_AndANullOneIsRefused()
    {
        await _store.UpsertScheduleAsync(Schedule("s1"));

        var throwing = () => _store.UpsertScheduleAsync(Schedule("s1", "0 4 * * *"), _ => throw new InvalidOperationException("boom"));
        var none = () => _store.DeleteScheduleAsync("s1", null!);

        await throwing.Should().ThrowAsync<InvalidOperationException>();
        await none.Should().ThrowAsync<ArgumentNullException>();
        (await _store.GetScheduleAsync("s1")).Should().Be(Schedule("s1"));
    }

    [Fact]
    public async Task TwoWritersOnTheSameVersion_NeverBothWin_In50Rounds()
    {
        await _store.UpsertScheduleAsync(Schedule("s1") with { RetryAttempts = 0 });
        using var start = new Barrier(2);

        for (var round = 0; round < 50; round++)
        {
            var seen = await _store.GetScheduleAsync("s1");
            var attempts = await Task.WhenAll(Enumerable.Range(1, 2).Select(writer => Task.Run(async () =>
            {
                // Both have read the same version before either writes.
                start.SignalAndWait();
                try
                {
                    await _store.UpsertScheduleAsync(seen! with { RetryAttempts = writer, MaxConcurrentJobs = round + 1 }, current => current == seen);
                    return (Writer: writer, Won: true);
                }
                catch (ScheduleWritePreconditionFailedException ex) when (ex.Exists)
                {
                    return (Writer: writer, Won: false);
                }
            })));

            attempts.Count(a => a.Won).Should().Be(1, $"exactly one write on the version of round {round} wins");
            var stored = await _store.GetScheduleAsync("s1");
            stored!.RetryAttempts.Should().Be(attempts.Single(a => a.Won).Writer, "the stored settings are the winner's");
            stored.MaxConcurrentJobs.Should().Be(round + 1);
        }
    }
}
