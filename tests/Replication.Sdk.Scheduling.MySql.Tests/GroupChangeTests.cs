using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// Edits of groups and memberships fire the MySQL store's change token as the in-memory store's do: naming no schedule
/// (groups are read when an occurrence runs, so nothing is re-planned, and above all not everything), at once on the
/// writing instance and at the next change poll on every other.
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
    public async Task AnotherInstance_SeesGroupAndMembershipEdits_ThroughItsChangePoll()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddContextAsync("ctx-1", "vm1");
        await Db.AddContextAsync("ctx-2", "vm2");
        await Store.GetSchedulesAsync();
        await Other.GetSchedulesAsync();

        await AssertOtherSeesAsync("a group written through the API", () => Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1" }));
        await AssertOtherSeesAsync("a membership written through the API", () => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" }));
        await AssertOtherSeesAsync("a membership the OMA GUI disabled (the table has no updated_at)", () => Db.ExecuteAsync("UPDATE vm_group_memberships SET enabled = 0 WHERE group_id = 'g1'"));
        await AssertOtherSeesAsync("a membership the OMA GUI added", () => Db.AddMembershipAsync("g1", "ctx-2"));
        await AssertOtherSeesAsync("a group the OMA GUI edited", () => Db.ExecuteAsync("UPDATE vm_machine_groups SET priority = 7 WHERE id = 'g1'"));
        await AssertOtherSeesAsync("a group deleted through the API", () => Writer.DeleteGroupAsync("g1"));

        var quiet = Other.GetChangeToken();
        await Other.PollAsync();
        quiet.HasChanged.Should().BeFalse("nothing changed since the last poll");
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
    public async Task AFullRead_FindsAGroupEdit_TheLastPollDidNotSee()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddGroupAsync("g1", "s1");
        await Other.GetSchedulesAsync();
        var token = (ScheduleChangeToken)Other.GetChangeToken();

        await Db.ExecuteAsync("UPDATE vm_machine_groups SET max_concurrent_vms = 1 WHERE id = 'g1'");
        await Other.GetSchedulesAsync(); // the reconcile every ChangeReconcileInterval, or a preview

        token.HasChanged.Should().BeTrue();
        token.ChangedScheduleIds.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AnEngineOnAnotherInstance_ReplansNothingForAGroupEdit_AndOneScheduleForAScheduleEdit()
    {
        Server.RequireServer();
        await Db.AddScheduleWithVmsAsync("s1", "0 0 2 * * *", "g1", 1);
        await Db.AddScheduleAsync("s2", "0 0 3 * * *");
        var clock = new TestClock(new DateTimeOffset(2025, 3, 7, 0, 0, 0, TimeSpan.Zero));
        await using var other = SchedulerOnMySqlTests.Engine("engine-b", Db.ConnectionString, clock, new FakeOma(clock));
        await other.StartAsync();
        await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => other.Engine.Replanned >= 2 && other.Engine.PlannedCount == 2), maxJump: TimeSpan.Zero);
        var store = other.Services.GetRequiredService<MySqlScheduleStore>();
        var before = other.Engine.Replanned;
        var token = (ScheduleChangeToken)store.GetChangeToken();

        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1", MaxConcurrentVms = 1 });
        await store.PollAsync(); // the engine's own store's change poll, as its timer runs it every ChangePollInterval
        token.ChangedScheduleIds.Should().BeEmpty("the group edit reaches the engine, naming no schedule");
        await Writer.UpsertScheduleAsync(new ReplicationSchedule { Id = "s2", Name = "s2", CronExpression = "0 0 4 * * *" });
        await store.PollAsync();
        await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => other.Engine.NextFireTime("s2")?.Hour == 4), maxJump: TimeSpan.Zero);

        (other.Engine.Replanned - before).Should().Be(1, "the group edit re-planned nothing (not every schedule), the schedule edit its schedule");
        await other.StopAsync();
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

    private async Task AssertOtherSeesAsync(string what, Func<Task> edit)
    {
        var token = (ScheduleChangeToken)Other.GetChangeToken();

        await edit();
        token.HasChanged.Should().BeFalse($"{what} reaches the other instance only at its poll");
        await Other.PollAsync();

        token.HasChanged.Should().BeTrue($"{what} is found by the other instance's change poll");
        token.ChangedScheduleIds.Should().BeEmpty($"{what} re-plans nothing");
    }
}
