using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// The appliance's tables compare text case- and accent-insensitively (<c>utf8mb4_general_ci</c>); the engine and the
/// in-memory store compare ids ordinally. Reads by id are exact, and a write whose id collides with a different existing id
/// is refused, so <c>FAST</c> never reads or overwrites <c>fast</c>. Also the column widths the writer checks and the
/// principals the stores cut to their columns.
/// </summary>
public sealed partial class ScheduleWriterTests
{
    private static ReplicationSchedule Plain(string id) => new() { Id = id, Name = $"{id} name", CronExpression = "0 2 * * *" };

    [SkippableTheory]
    [InlineData("fast", "FAST")]
    [InlineData("cafe", "café")]
    public async Task ReadsById_AreExact(string stored, string asked)
    {
        Server.RequireServer();
        await Db.AddScheduleAsync(stored, "0 2 * * *");
        await Db.AddGroupAsync($"g-{stored}", stored);
        await Db.AddContextAsync($"ctx-{stored}", "vm1");
        await Db.AddMembershipAsync($"g-{stored}", $"ctx-{stored}");

        (await Store.GetScheduleAsync(asked)).Should().BeNull();
        (await Store.GetScheduleAsync(stored)).Should().NotBeNull();
        (await Store.GetGroupAsync($"g-{asked}")).Should().BeNull();
        (await Store.GetGroupsAsync(asked)).Should().BeEmpty();
        (await Store.GetMembershipsAsync([$"g-{asked}"])).Should().BeEmpty();
        (await Store.GetVmMembershipsAsync($"ctx-{asked}")).Should().BeEmpty();
        (await Store.GetVmContextsAsync([$"ctx-{asked}"])).Should().BeEmpty();
        (await Store.GetVmContextsAsync([$"ctx-{stored}", $"ctx-{asked}"])).Select(v => v.ContextId).Should().Equal($"ctx-{stored}");
    }

    [SkippableTheory]
    [InlineData("replication_schedules", "id", "fast")]
    [InlineData("vm_machine_groups", "id", "g-fast")]
    [InlineData("vm_machine_groups", "schedule_id", "fast")]
    [InlineData("vm_group_memberships", "vm_context_id", "ctx-fast")]
    [InlineData("vm_replication_contexts", "context_id", "ctx-fast")]
    public async Task AnExactLookup_StillUsesTheColumnsIndex(string table, string column, string id)
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("fast", "0 2 * * *");
        await Db.AddGroupAsync("g-fast", "fast");
        await Db.AddContextAsync("ctx-fast", "vm1");
        await Db.AddMembershipAsync("g-fast", "ctx-fast");

        var plan = (await Db.QueryAsync($"EXPLAIN SELECT * FROM {table} WHERE {MySqlIds.Exact(column, "@id")}", ("@id", id))).Single();

        plan["key"].Should().NotBeNull("the collated comparison finds the row along the index; the binary one only filters it");
        ((string)plan["type"]!).Should().BeOneOf("const", "eq_ref", "ref");
    }

    [SkippableTheory]
    [InlineData("fast", "FAST")]
    [InlineData("cafe", "café")]
    public async Task AScheduleWrite_CollidingWithAnotherId_IsAConflictNamingIt_AndNothingIsOverwritten(string stored, string written)
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Plain(stored));

        var write = () => Writer.UpsertScheduleAsync(Plain(written) with { Name = "other name", CronExpression = "0 5 * * *" });

        var conflict = (await write.Should().ThrowAsync<ScheduleWriteConflictException>()).Which;
        conflict.Id.Should().Be(written);
        conflict.Message.Should().Contain($"'{stored}'");
        (await Store.GetScheduleAsync(stored)).Should().Be(Plain(stored), "the existing schedule is untouched");
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(1);
        (await Writer.DeleteScheduleAsync(written)).Should().BeFalse("a delete is exact too");
        (await Store.GetScheduleAsync(stored)).Should().NotBeNull();
    }

    [SkippableFact]
    public async Task AGroupWrite_CollidingWithAnotherId_IsAConflict_AndItsScheduleMustMatchExactly()
    {
        Server.RequireServer();
        await Writer.UpsertScheduleAsync(Plain("s1"));
        var group = new MachineGroup { Id = "groupx", Name = "x", ScheduleId = "s1" };
        await Writer.UpsertGroupAsync(group);

        var write = () => Writer.UpsertGroupAsync(new MachineGroup { Id = "GROUPX", Name = "y" });

        (await write.Should().ThrowAsync<ScheduleWriteConflictException>()).Which.Message.Should().Contain("'groupx'");
        (await Store.GetGroupAsync("groupx")).Should().Be(group);
        await ((Func<Task>)(() => Writer.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "S1" }))).Should().ThrowAsync<ScheduleNotFoundException>();
        (await Writer.DeleteGroupAsync("GROUPX")).Should().BeFalse();
        (await Store.GetGroupAsync("groupx")).Should().Be(group);
    }

    [SkippableFact]
    public async Task AMembershipNamingAContextOrGroupInAnotherCase_IsNotFound()
    {
        Server.RequireServer();
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "groupx", Name = "x" });
        await Db.AddContextAsync("ctx-vm003", "vm3");

        (await ((Func<Task>)(() => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "groupx", VmContextId = "CTX-VM003" }))).Should().ThrowAsync<ScheduleTargetNotFoundException>())
            .Which.Target.Should().Be(PauseTarget.Vm("CTX-VM003"));
        (await ((Func<Task>)(() => Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "GROUPX", VmContextId = "ctx-vm003" }))).Should().ThrowAsync<ScheduleTargetNotFoundException>())
            .Which.Target.Should().Be(PauseTarget.Group("GROUPX"));
        (await Db.CountAsync("SELECT COUNT(*) FROM vm_group_memberships")).Should().Be(0);

        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "groupx", VmContextId = "ctx-vm003" });
        (await Writer.RemoveMembershipAsync("groupx", "CTX-VM003")).Should().BeFalse("a removal is exact too");
        (await Store.GetMembershipsAsync(["groupx"])).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task AWriteOverAnApplianceRowTheStoreDoesNotReadAsASchedule_IsAConflict()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("chain1", "0 2 * * *", ("schedule_type", "chain"));
        (await Store.GetScheduleAsync("chain1")).Should().BeNull("the SDK does not read chain schedules");

        var write = () => Writer.UpsertScheduleAsync(Plain("chain1"));

        (await write.Should().ThrowAsync<ScheduleWriteConflictException>()).Which.Id.Should().Be("chain1");
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules WHERE id = 'chain1' AND schedule_type = 'chain' AND name = 'chain1'")).Should().Be(1, "the row is untouched");
    }

    [SkippableFact]
    public async Task TextsLongerThanTheirColumns_AreInvalid_NotADatabaseError()
    {
        Server.RequireServer();
        var tooLong = Plain("s1") with
        {
            Name = new string('n', 256),
            TimeZone = "UTC",
            Blackouts = [new BlackoutPeriod(At, At.AddHours(1), new string('é', 40_000))],
        };

        var refused = (await ((Func<Task>)(() => Writer.UpsertScheduleAsync(tooLong))).Should().ThrowAsync<InvalidScheduleException>()).Which;

        refused.Problems.Should().Contain(p => p.Contains("Name", StringComparison.Ordinal)).And.Contain(p => p.Contains("blackout", StringComparison.Ordinal));
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(0);
    }

    [SkippableFact]
    public async Task ALongCronExpression_IsInvalid_NotADatabaseError()
    {
        Server.RequireServer();
        var cron = "0 2 * * " + string.Join(",", Enumerable.Repeat("1", 130));

        var refused = (await ((Func<Task>)(() => Writer.UpsertScheduleAsync(Plain("s1") with { CronExpression = cron }))).Should().ThrowAsync<InvalidScheduleException>()).Which;

        refused.Problems.Should().Contain(p => p.Contains("CronExpression", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task APrincipalLongerThanItsColumn_IsRecordedTruncated()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        var executions = Services.GetRequiredService<IExecutionStore>();
        var who = new string('o', 300);
        var execution = new ScheduleExecution { Id = "e1", ScheduleId = "s1", ScheduledFor = At, TriggerKind = TriggerKind.Manual, TriggeredBy = who, StartedAt = At, InstanceId = "engine-a" };

        (await executions.TryCreateAsync(execution)).Should().BeTrue();
        await executions.UpdateAsync(execution with { Status = ExecutionStatus.Completed, CompletedAt = At.AddSeconds(1) });
        (await executions.RequestStopAsync("e1", who)).Should().BeFalse("it is no longer running");

        var read = await executions.GetAsync("e1");
        read!.TriggeredBy.Should().HaveLength(255).And.StartWith("ooo").And.EndWith("…");
        ((string)(await Db.QueryAsync("SELECT triggered_by FROM schedule_executions WHERE id = 'e1'")).Single()["triggered_by"]!).Should().HaveLength(255);
    }

    [SkippableFact]
    public async Task APauseByALongPrincipal_IsRecordedTruncated()
    {
        Server.RequireServer();
        var pauses = Services.GetRequiredService<IPauseStore>();

        await pauses.TryAddAsync(new PauseState { Id = "p1", Target = PauseTarget.Schedule("s1"), Reason = "maintenance", PausedBy = new string('o', 300), PausedAt = At });

        (await pauses.GetPausesAsync()).Should().ContainSingle().Which.PausedBy.Should().HaveLength(255).And.EndWith("…");
    }

    [SkippableFact]
    public async Task AStopRequestByALongPrincipal_IsRecordedTruncated()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        var executions = Services.GetRequiredService<IExecutionStore>();
        await executions.TryCreateAsync(new ScheduleExecution { Id = "e1", ScheduleId = "s1", ScheduledFor = At, TriggerKind = TriggerKind.Manual, TriggeredBy = "op", StartedAt = At, InstanceId = "engine-a" });

        (await executions.RequestStopAsync("e1", new string('o', 300))).Should().BeTrue();

        (await executions.GetStopRequestAsync("e1")).Should().HaveLength(64).And.EndWith("…");
    }
}
