using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// The conditional writes: the precondition sees the schedule or group exactly as the store's reads return it, nothing is
/// written when it does not hold, and two instances on one database that both write on the same version never both win.
/// </summary>
public sealed partial class ScheduleWriterTests
{
    [SkippableFact]
    public async Task AConditionalScheduleWrite_SeesWhatGetReturns_WritesWhenItHolds_AndWritesNothingWhenNot()
    {
        Server.RequireServer();
        var stored = Full("s1");
        await Writer.UpsertScheduleAsync(stored);
        var read = await Store.GetScheduleAsync("s1");
        ReplicationSchedule? seen = null;

        await Writer.UpsertScheduleAsync(stored with { RetryAttempts = 9 }, current => { seen = current; return true; });

        seen.Should().Be(read, "the precondition is given the schedule as GetScheduleAsync returns it, blackouts and settings included");
        (await Store.GetScheduleAsync("s1"))!.RetryAttempts.Should().Be(9);
        var before = await Db.QueryAsync("SELECT name, retry_attempts, updated_at FROM replication_schedules WHERE id = 's1'");
        var settings = await Db.QueryAsync("SELECT * FROM rsdk_schedule_settings WHERE schedule_id = 's1'");
        var blackouts = await Db.QueryAsync("SELECT * FROM rsdk_blackouts WHERE schedule_id = 's1' ORDER BY from_utc");

        var refused = () => Writer.UpsertScheduleAsync(Plain("s1"), _ => false);
        var delete = () => Writer.DeleteScheduleAsync("s1", _ => false);

        var failed = (await refused.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which;
        failed.Target.Should().Be(PauseTarget.Schedule("s1"));
        failed.Exists.Should().BeTrue();
        failed.Message.Should().Contain("schedule 's1'").And.Contain("nothing was written");
        (await delete.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeTrue();
        (await Db.QueryAsync("SELECT name, retry_attempts, updated_at FROM replication_schedules WHERE id = 's1'")).Should().BeEquivalentTo(before, "the row is unchanged");
        (await Db.QueryAsync("SELECT * FROM rsdk_schedule_settings WHERE schedule_id = 's1'")).Should().BeEquivalentTo(settings);
        (await Db.QueryAsync("SELECT * FROM rsdk_blackouts WHERE schedule_id = 's1' ORDER BY from_utc")).Should().BeEquivalentTo(blackouts);

        (await Writer.DeleteScheduleAsync("s1", current => current?.RetryAttempts == 9)).Should().BeTrue();
        (await Store.GetScheduleAsync("s1")).Should().BeNull();
    }

    [SkippableFact]
    public async Task AConditionalWriteOfWhatDoesNotExist_GivesThePreconditionNull_AlsoForAnIdOnlyTheCollationMatches()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("fast", "0 2 * * *");
        await Db.AddGroupAsync("g-fast", "fast");
        var seen = new List<object?>();
        bool Record(object? current)
        {
            seen.Add(current);
            return false;
        }

        var schedule = () => Writer.UpsertScheduleAsync(Plain("FAST"), Record);
        var deleteSchedule = () => Writer.DeleteScheduleAsync("FAST", Record);
        var group = () => Writer.UpsertGroupAsync(new MachineGroup { Id = "g-FAST", Name = "g", ScheduleId = "fast" }, Record);
        var deleteGroup = () => Writer.DeleteGroupAsync("g-FAST", Record);

        (await schedule.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeFalse();
        (await deleteSchedule.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Message.Should().Contain("does not exist");
        (await group.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Target.Should().Be(PauseTarget.Group("g-FAST"));
        (await deleteGroup.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeFalse();
        seen.Should().HaveCount(4).And.OnlyContain(s => s == null, "'fast' is another id, which the tables' collation only makes equal");
        (await Writer.DeleteScheduleAsync("nope", current => current is null)).Should().BeFalse("the precondition held for none, and there is nothing to delete");
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(1);
        (await Db.CountAsync("SELECT COUNT(*) FROM vm_machine_groups")).Should().Be(1);
    }

    [SkippableFact]
    public async Task AConditionalGroupWrite_SeesWhatGetReturns_AndARefusedOneLeavesTheRowAndMemberships()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddContextAsync("ctx-1", "vm1");
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "Web", ScheduleId = "s1", MaxConcurrentVms = 3, Priority = 2 });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" });
        var read = await Store.GetGroupAsync("g1");
        MachineGroup? seen = null;

        await Writer.UpsertGroupAsync(read! with { MaxConcurrentVms = 4 }, current => { seen = current; return current == read; });
        var refused = () => Writer.UpsertGroupAsync(read! with { MaxConcurrentVms = 5 }, current => current == read);
        var delete = () => Writer.DeleteGroupAsync("g1", current => current == read);

        seen.Should().Be(read);
        (await refused.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Exists.Should().BeTrue();
        (await delete.Should().ThrowAsync<ScheduleWritePreconditionFailedException>()).Which.Target.Should().Be(PauseTarget.Group("g1"));
        (await Store.GetGroupAsync("g1"))!.MaxConcurrentVms.Should().Be(4, "neither refused write changed it");
        (await Store.GetMembershipsAsync(["g1"])).Should().ContainSingle("the refused delete kept the memberships");
        (await Writer.DeleteGroupAsync("g1", current => current?.MaxConcurrentVms == 4)).Should().BeTrue();
        (await Db.CountAsync("SELECT COUNT(*) FROM vm_group_memberships")).Should().Be(0);
    }

    [SkippableFact]
    public async Task TwoInstances_WritingOnTheSameVersion_NeverBothWin_In50Rounds()
    {
        Server.RequireServer();
        await using var other = MySqlStack.Services(Db.ConnectionString, configure: o => o.AllowScheduleWrites = true);
        IScheduleStoreWriter[] writers = [Writer, other.GetRequiredService<IScheduleStoreWriter>()];
        await Writer.UpsertScheduleAsync(Full("s1") with { Name = "v0" });

        for (var round = 0; round < 50; round++)
        {
            // Both read the same version, as two API instances answering GETs would, then both write on it.
            var seen = await other.GetRequiredService<IScheduleStore>().GetScheduleAsync("s1");
            var version = seen!.Name;
            var attempts = await Task.WhenAll(writers.Select((w, i) => Task.Run(async () =>
            {
                try
                {
                    await w.UpsertScheduleAsync(seen with { Name = $"v{round + 1}", RetryAttempts = i + 1 }, current => current?.Name == version);
                    return (Writer: i, Won: true);
                }
                catch (ScheduleWritePreconditionFailedException ex) when (ex.Exists)
                {
                    return (Writer: i, Won: false);
                }
            })));

            attempts.Count(a => a.Won).Should().Be(1, $"exactly one write on version {version} wins (round {round})");
            var stored = await Store.GetScheduleAsync("s1");
            stored!.Name.Should().Be($"v{round + 1}");
            stored.RetryAttempts.Should().Be(attempts.Single(a => a.Won).Writer + 1, "the stored settings are the winner's");
        }
    }

    [SkippableFact]
    public async Task TwoInstances_CreatingTheSameNewScheduleOnlyIfAbsent_OneWins_TheOtherSeesItsRow()
    {
        Server.RequireServer();
        await using var other = MySqlStack.Services(Db.ConnectionString, configure: o => o.AllowScheduleWrites = true);
        IScheduleStoreWriter[] writers = [Writer, other.GetRequiredService<IScheduleStoreWriter>()];

        for (var round = 0; round < 20; round++)
        {
            // Both lock the same gap (no row yet) and insert into it: the database ends one as a deadlock's victim, and its
            // write, run again, finds the winner's row.
            var id = $"new-{round}";
            var attempts = await Task.WhenAll(writers.Select((w, i) => Task.Run(async () =>
            {
                try
                {
                    await w.UpsertScheduleAsync(Plain(id) with { RetryAttempts = i + 1 }, current => current is null);
                    return (Writer: i, Won: true);
                }
                catch (ScheduleWritePreconditionFailedException ex) when (ex.Exists)
                {
                    return (Writer: i, Won: false);
                }
            })));

            attempts.Count(a => a.Won).Should().Be(1, $"exactly one create of {id} wins");
            (await Store.GetScheduleAsync(id))!.RetryAttempts.Should().Be(attempts.Single(a => a.Won).Writer + 1);
        }
    }
}
