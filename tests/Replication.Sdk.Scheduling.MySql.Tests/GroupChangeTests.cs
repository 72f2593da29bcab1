using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// Edits of groups and memberships through the writer fire its instance's change token as the in-memory store's do: naming
/// no schedule (nothing is re-planned, and above all not everything). The change poll does not look at the group tables:
/// every instance reads groups and memberships when an occurrence runs, so an edit anywhere applies from the next one.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class GroupChangeTests(MariaDbServer server) : MigratedDatabaseTests(server), IAsyncDisposable
{
    // A clock that stands still: no timed poll runs, so each poll a test asserts on is the one it calls.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero));
    private ServiceProvider? _writable;
    private ServiceProvider? _other;

    private ServiceProvider Writable => _writable ??= MySqlStack.Services(Db.ConnectionString, _clock, o => o.AllowScheduleWrites = true);

    private IScheduleStoreWriter Writer => Writable.GetRequiredService<IScheduleStoreWriter>();

    private MySqlScheduleStore Store => Writable.GetRequiredService<MySqlScheduleStore>();

    /// <summary>Another scheduler instance's store, over the same database, that writes nothing.</summary>
    private MySqlScheduleStore Other => (_other ??= MySqlStack.Services(Db.ConnectionString, _clock)).GetRequiredService<MySqlScheduleStore>();

    [SkippableFact]
    public async Task EveryGroupAndMembershipWrite_FiresTheWritersToken_NamingNoSchedule()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddContextAsync("ctx-1", "vm1");
        await Store.GetSchedulesAsync();

        var writes = new (string What, Func<Task> Write)[]
        {
            ("a new group", () => Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1" })),
            ("a group's limit", () => Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1", MaxConcurrentVms = 9 })),
            ("a group moved off its schedule", () => Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "web", MaxConcurrentVms = 9 })),
            ("a new membership", () => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" })),
            ("a membership's priority", () => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 3 })),
            ("a removed membership", () => Writer.RemoveMembershipAsync("g1", "ctx-1")),
            ("a deleted group", () => Writer.DeleteGroupAsync("g1")),
        };
        foreach (var (what, write) in writes)
        {
            var token = (ScheduleChangeToken)Store.GetChangeToken();

            await write();

            token.HasChanged.Should().BeTrue($"{what} fires the token at once");
            token.ChangedScheduleIds.Should().BeEmpty($"{what} needs no re-plan (null would re-plan every schedule)");
        }

        var quiet = Store.GetChangeToken();
        (await Writer.RemoveMembershipAsync("g1", "ctx-1")).Should().BeFalse();
        (await Writer.DeleteGroupAsync("g1")).Should().BeFalse();
        await Store.PollAsync();
        quiet.HasChanged.Should().BeFalse("writes that changed nothing fire nothing, and the poll after a group change is quiet again");
    }

    [SkippableFact]
    public async Task AScheduleAndAGroupEdit_InOnePoll_NameTheScheduleAlone()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddGroupAsync("g1", "s1");
        await Other.GetSchedulesAsync();
        var token = (ScheduleChangeToken)Other.GetChangeToken();

        await Writer.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = "s1", CronExpression = "0 3 * * *" });
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1", Priority = 2 });
        await Other.PollAsync();

        token.ChangedScheduleIds.Should().Equal("s1");
    }

    [SkippableFact]
    public async Task AnEngineOnAnotherInstance_RunsItsNextOccurrence_WithTheGroupsAsEdited_ThoughNothingToldIt()
    {
        Server.RequireServer();
        await Db.AddScheduleWithVmsAsync("s1", "0 0 2 * * *", "g1", 2);
        await Db.AddContextAsync("ctx-new", "new-vm");
        var clock = new TestClock(new DateTimeOffset(2025, 3, 7, 0, 0, 0, TimeSpan.Zero));
        await using var other = SchedulerOnMySqlTests.Engine("engine-b", Db.ConnectionString, clock, new FakeOma(clock));
        await other.StartAsync();
        await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => other.Engine.NextFireTime("s1") is not null), maxJump: TimeSpan.Zero);
        var token = other.Services.GetRequiredService<MySqlScheduleStore>().GetChangeToken();

        // On this instance, through the API's writer; and in the OMA GUI.
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-new", Priority = 9 });
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1", MaxConcurrentVms = 1 });
        await Db.ExecuteAsync("UPDATE vm_group_memberships SET enabled = 0 WHERE vm_context_id = 'ctx-g1-vm01'");
        var finished = (await clock.RunUntilAsync(other.Observer.WaitForAsync(1), maxJump: TimeSpan.FromMinutes(10))).Single();
        await other.StopAsync();

        token.HasChanged.Should().BeFalse("the other instance's poll does not look at the group tables, and needs not");
        finished.ScheduledFor.Should().Be(new DateTimeOffset(2025, 3, 7, 2, 0, 0, TimeSpan.Zero));
        finished.VmOutcomes.Select(o => (o.VmName, o.Kind)).Should().BeEquivalentTo(
            [("g1-vm00", VmOutcomeKind.JobCompleted), ("new-vm", VmOutcomeKind.JobCompleted)],
            "the occurrence read the groups and memberships as they were when it ran: the VM added, the one disabled left out");
    }

    [SkippableFact]
    public async Task AQuietPoll_IsOneStatement_AndReadsNoGroupTable_WhateverTheGroupsAndMemberships()
    {
        Server.RequireServer();
        await Db.AddScheduleWithVmsAsync("s1", "0 0 2 * * *", "g1", 20);
        // Edited an hour ago: an edit younger than a tick (ScheduleMarkers.SameTick) is read again by the next poll.
        await Db.ExecuteAsync("UPDATE replication_schedules SET updated_at = NOW(3) - INTERVAL 1 HOUR");
        var database = new MySqlConnectionStringBuilder(Db.ConnectionString).Database;
        var (counted, user) = await Server.CreateCountedUserAsync(database);
        await using var services = MySqlStack.Services(counted, _clock);
        var store = services.GetRequiredService<MySqlScheduleStore>();
        await store.GetSchedulesAsync();
        await store.PollAsync();
        var token = store.GetChangeToken();
        await Db.ExecuteAsync("UPDATE vm_group_memberships SET enabled = 0 WHERE vm_context_id = 'ctx-g1-vm03'"); // the OMA GUI
        var (before, readBefore) = (await Server.UserStatisticsAsync(user), await Server.TableRowsReadAsync(database));

        await store.PollAsync();

        var cost = await Server.UserStatisticsAsync(user) - before;
        var read = await Server.TableRowsReadAsync(database);
        long Read(string table) => read.GetValueOrDefault(table) - readBefore.GetValueOrDefault(table);
        (cost.Statements, cost.RowsSent).Should().Be((1, 1), $"the markers of the schedule tables alone are read (measured {cost})");
        Read("replication_schedules").Should().BePositive("the counter counts the marker statement's scan");
        (Read("vm_machine_groups"), Read("vm_group_memberships")).Should().Be((0, 0), "the poll reads no group table: a quiet poll costs the same at any number of memberships");
        token.HasChanged.Should().BeFalse("a group edit is read when the next occurrence runs, not polled for");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        foreach (var services in new[] { _writable, _other })
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }
        }
    }
}
