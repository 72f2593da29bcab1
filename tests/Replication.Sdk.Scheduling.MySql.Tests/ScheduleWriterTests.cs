using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>Writes to the appliance's schedule tables through <see cref="IScheduleStoreWriter"/>, allowed only by <see cref="MySqlStoreOptions.AllowScheduleWrites"/>.</summary>
[Collection(MariaDbCollection.Name)]
public sealed partial class ScheduleWriterTests(MariaDbServer server) : MigratedDatabaseTests(server), IAsyncDisposable
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private ServiceProvider? _writable;

    private ServiceProvider Writable => _writable ??= MySqlStack.Services(Db.ConnectionString, configure: o => o.AllowScheduleWrites = true);

    private IScheduleStoreWriter Writer => Writable.GetRequiredService<IScheduleStoreWriter>();

    private IScheduleStore Store => Writable.GetRequiredService<IScheduleStore>();

    /// <summary>Every setting the store reads, none at its default.</summary>
    private static ReplicationSchedule Full(string id) => new()
    {
        Id = id,
        Name = $"{id} nightly",
        CronExpression = "30 1 * * 1-5",
        TimeZone = "Europe/Berlin",
        Enabled = false,
        ReplicationType = ReplicationType.Incremental,
        MaxConcurrentJobs = 7,
        RetryAttempts = 5,
        RetryDelay = TimeSpan.FromMinutes(12),
        OverlapPolicy = OverlapPolicy.BufferOne,
        MisfirePolicy = MisfirePolicy.Skip,
        StartingDeadline = TimeSpan.FromSeconds(95),
        Spread = TimeSpan.FromMinutes(20),
        Window = ReplicationWindow.Parse("Mon-Fri 22:00-06:00"),
        OutsideWindowPolicy = OutsideWindowPolicy.Defer,
        Blackouts = [new BlackoutPeriod(At, At.AddHours(3).AddTicks(2500), "storage maintenance"), new BlackoutPeriod(At.AddDays(2), At.AddDays(3), null)],
        RpoTarget = TimeSpan.FromHours(26),
        OsseaConfigId = 42,
        TargetNetwork = "dr-net",
    };

    [SkippableFact]
    public async Task AWrittenSchedule_ReadsBackEqual_AndAnUpdateToDefaults_RemovesItsSettingsRow()
    {
        Server.RequireServer();
        var schedule = Full("s1");

        await Writer.UpsertScheduleAsync(schedule);

        (await Store.GetScheduleAsync("s1")).Should().Be(schedule);
        (await Store.GetSchedulesAsync()).Should().Equal(schedule);
        var row = (await Db.QueryAsync("SELECT skip_if_running, retry_delay_minutes, replication_type, created_by FROM replication_schedules WHERE id = 's1'")).Single();
        row["retry_delay_minutes"].Should().Be(12);
        row["replication_type"].Should().Be("incremental");
        row["created_by"].Should().Be("replication-sdk");

        var plain = new ReplicationSchedule { Id = "s1", Name = "s1 renamed", CronExpression = "0 3 * * *" };
        await Writer.UpsertScheduleAsync(plain);

        (await Store.GetScheduleAsync("s1")).Should().Be(plain);
        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_schedule_settings WHERE schedule_id = 's1'")).Should().Be(0, "every SDK setting is at its default");
        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_blackouts WHERE schedule_id = 's1'")).Should().Be(0);
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(1, "the update replaced the row");
    }

    [SkippableFact]
    public async Task AnRpoScheduleAndAllowAll_ReadBackEqual()
    {
        Server.RequireServer();
        var rpo = new ReplicationSchedule { Id = "r1", Name = "r1", Kind = ScheduleKind.Rpo, CronExpression = "", RpoTarget = TimeSpan.FromHours(4), OverlapPolicy = OverlapPolicy.AllowAll };

        await Writer.UpsertScheduleAsync(rpo);

        (await Store.GetScheduleAsync("r1")).Should().Be(rpo);
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules WHERE id = 'r1' AND skip_if_running = 0")).Should().Be(1, "AllowAll is the appliance's skip_if_running = 0");
    }

    [SkippableFact]
    public async Task AWrite_FiresTheChangeTokenNamingThatSchedule()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("other", "0 2 * * *");
        await Writer.UpsertScheduleAsync(Full("s1"));
        await Store.GetSchedulesAsync();
        var token = (ScheduleChangeToken)Store.GetChangeToken();

        await Writer.UpsertScheduleAsync(Full("s1") with { CronExpression = "45 1 * * 1-5" });

        token.HasChanged.Should().BeTrue("the writer polls at once, without waiting for the timer");
        token.ChangedScheduleIds.Should().Equal("s1");

        var deleted = (ScheduleChangeToken)Store.GetChangeToken();
        (await Writer.DeleteScheduleAsync("s1")).Should().BeTrue();
        deleted.HasChanged.Should().BeTrue();
        deleted.ChangedScheduleIds.Should().Equal("s1");
    }

    [SkippableFact]
    public async Task WithTheOptionOff_NoWriterIsRegistered_AndTheTablesAreOnlyRead()
    {
        Server.RequireServer();

        Services.GetService<IScheduleStoreWriter>().Should().BeNull();
        Services.GetRequiredService<IScheduleStore>().Should().NotBeAssignableTo<IScheduleStoreWriter>();
        Writable.GetService<IScheduleStoreWriter>().Should().NotBeNull();
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void AllowScheduleWrites_BindsFromTheDocumentedKey_AndDecidesWhetherAWriterIsRegistered(string? value, bool writable)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Replication:Scheduler:MySql:ConnectionString"] = "Server=127.0.0.1;Database=oma",
                ["Replication:Scheduler:MySql:AllowScheduleWrites"] = value,
            }).Build());
        services.AddLogging();
        services.AddReplicationScheduling().UseMySqlStores();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<MySqlStoreOptions>>().Value.AllowScheduleWrites.Should().Be(writable);
        var writer = provider.GetService<IScheduleStoreWriter>();
        if (writable)
        {
            writer.Should().BeOfType<MySqlScheduleWriter>();
        }
        else
        {
            writer.Should().BeNull("the appliance's tables stay read-only unless the option allows writes");
        }

        new MySqlStoreOptions().AllowScheduleWrites.Should().BeFalse("the documented default");
    }

    [SkippableFact]
    public async Task AnInvalidSchedule_IsRefusedWithItsProblems_AndNothingIsWritten()
    {
        Server.RequireServer();

        var bad = () => Writer.UpsertScheduleAsync(new ReplicationSchedule { Id = "bad", Name = "bad", CronExpression = "61 * * * *", MaxConcurrentJobs = 0, RetryDelay = TimeSpan.FromSeconds(90) });

        var refused = (await bad.Should().ThrowAsync<InvalidScheduleException>()).Which;
        refused.ScheduleId.Should().Be("bad");
        refused.Problems.Should().HaveCount(3);
        refused.Problems.Should().Contain(p => p.Contains("MaxConcurrentJobs", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("RetryDelay must be whole minutes", StringComparison.Ordinal));
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(0);
    }

    [SkippableFact]
    public async Task ADuplicateName_IsAConflict()
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Full("s1"));

        var duplicate = () => Writer.UpsertScheduleAsync(Full("s2") with { Name = Full("s1").Name });

        (await duplicate.Should().ThrowAsync<ScheduleWriteConflictException>()).Which.Id.Should().Be("s2");
        (await Store.GetScheduleAsync("s1")).Should().Be(Full("s1"), "the other row is untouched");
        (await Store.GetScheduleAsync("s2")).Should().BeNull();
    }

    [SkippableFact]
    public async Task GroupsAndMemberships_RoundTrip()
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Full("s1"));
        await Db.AddContextAsync("ctx-1", "vm1");
        var group = new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1", MaxConcurrentVms = 3, Priority = 2 };

        await Writer.UpsertGroupAsync(group);
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 4, Enabled = false, AddedAt = At });

        (await Store.GetGroupsAsync("s1")).Should().Equal(group);
        (await Store.GetMembershipsAsync(["g1"])).Should().Equal(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 4, Enabled = false, AddedAt = At });

        await Writer.UpsertGroupAsync(group with { MaxConcurrentVms = 9 });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 1 });

        (await Store.GetGroupsAsync("s1")).Should().Equal(group with { MaxConcurrentVms = 9 });
        (await Store.GetMembershipsAsync(["g1"])).Should().ContainSingle().Which.Should().Be(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 1, AddedAt = At },
            "a default AddedAt keeps the existing one");

        (await Writer.RemoveMembershipAsync("g1", "ctx-1")).Should().BeTrue();
        (await Writer.RemoveMembershipAsync("g1", "ctx-1")).Should().BeFalse();
        (await Store.GetMembershipsAsync(["g1"])).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task UnknownTargets_AreRefused()
    {
        Server.RequireServer();
        await Db.AddContextAsync("ctx-1", "vm1");

        await ((Func<Task>)(() => Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "nope" }))).Should().ThrowAsync<ScheduleNotFoundException>();
        (await ((Func<Task>)(() => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "nope", VmContextId = "ctx-1" }))).Should().ThrowAsync<ScheduleTargetNotFoundException>())
            .Which.Target.Should().Be(PauseTarget.Group("nope"));
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1" });
        (await ((Func<Task>)(() => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-x" }))).Should().ThrowAsync<ScheduleTargetNotFoundException>())
            .Which.Target.Should().Be(PauseTarget.Vm("ctx-x"));
        await ((Func<Task>)(() => Writer.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", TargetNetwork = "n" }))).Should().ThrowAsync<InvalidScheduleException>();
        (await Writer.DeleteGroupAsync("nope")).Should().BeFalse();
        (await Writer.DeleteScheduleAsync("nope")).Should().BeFalse();
    }

    [SkippableFact]
    public async Task DeletingAGroup_RemovesItsMemberships_AndDeletingASchedule_DetachesItsGroups()
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Full("s1"));
        await Db.AddContextAsync("ctx-1", "vm1");
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1" });
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "s1" });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g2", VmContextId = "ctx-1" });

        (await Writer.DeleteGroupAsync("g1")).Should().BeTrue();

        (await Db.CountAsync("SELECT COUNT(*) FROM vm_group_memberships WHERE group_id = 'g1'")).Should().Be(0);
        (await Store.GetGroupsAsync("s1")).Select(g => g.Id).Should().Equal("g2");

        (await Writer.DeleteScheduleAsync("s1")).Should().BeTrue();

        (await Store.GetScheduleAsync("s1")).Should().BeNull();
        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_schedule_settings WHERE schedule_id = 's1'")).Should().Be(0);
        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_blackouts WHERE schedule_id = 's1'")).Should().Be(0);
        (await Db.CountAsync("SELECT COUNT(*) FROM vm_machine_groups WHERE id = 'g2' AND schedule_id IS NULL")).Should().Be(1, "the group stays, with no schedule");
        (await Db.CountAsync("SELECT COUNT(*) FROM vm_group_memberships WHERE group_id = 'g2'")).Should().Be(1, "and keeps its members");
    }

    [SkippableFact]
    public async Task AScheduleWithApplianceHistory_IsNotDeleted()
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Full("s1"));
        await Db.ExecuteAsync("INSERT INTO schedule_executions (id, schedule_id, scheduled_at) VALUES ('e1', 's1', '2025-06-01 02:00:00')");

        var delete = () => Writer.DeleteScheduleAsync("s1");

        (await delete.Should().ThrowAsync<ScheduleWriteConflictException>()).Which.Message.Should().Contain("schedule_executions");
        (await Store.GetScheduleAsync("s1")).Should().Be(Full("s1"), "nothing was deleted");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (_writable is not null)
        {
            await _writable.DisposeAsync();
        }
    }
}
