using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>RPO on the MySQL stores: the last completion from the appliance and the SDK's outcomes, and breach state shared by instances and restarts.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class RpoOnMySqlTests(MariaDbServer server)
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Restart_AVmThatReplicatedAnHourAgo_IsNotBreached_ByTheNewHost()
    {
        var db = await DatabaseAsync(vms: 1);
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock);
        DateTimeOffset? completed;
        await using (var first = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, oma))
        {
            await first.StartAsync();
            var run = await RunAsync(first);
            run.VmOutcomes.Single().Kind.Should().Be(VmOutcomeKind.JobCompleted);
            completed = run.VmOutcomes.Single().CompletedAt;
            first.Observer.Breaches.Should().ContainSingle("the VM had never replicated before this run");
            await first.StopAsync();
        }

        clock.Advance(TimeSpan.FromHours(1));
        await using var second = SchedulerOnMySqlTests.Engine("engine-b", db.ConnectionString, clock, oma);
        (await second.Services.GetRequiredService<IScheduleStore>().GetVmContextsAsync(["ctx-g1-vm00"])).Single().LastCompletedJobAt.Should().Be(completed);
        second.Submitter.Script("g1-vm00", FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        await second.StartAsync();
        await RunAsync(second);
        second.Observer.Breaches.Should().BeEmpty("the VM replicated an hour ago and its RPO is 4 h");

        clock.Advance(TimeSpan.FromHours(3.5));
        await RunAsync(second);
        await second.StopAsync();
        second.Observer.Breaches.Should().ContainSingle().Which.LastCompletedJobAt.Should().Be(completed);
    }

    [SkippableFact]
    public async Task TwoHosts_OnOneDatabase_RaiseOneBreach_NotTwo()
    {
        var db = await DatabaseAsync(vms: 2);
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock);
        await using var a = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, oma);
        await using var b = SchedulerOnMySqlTests.Engine("engine-b", db.ConnectionString, clock, oma);
        foreach (var h in new[] { a, b })
        {
            h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
            h.Submitter.Script("g1-vm01", FakeSubmitter.Permanent());
            await h.StartAsync();
        }

        await RunAsync(a);
        clock.Advance(TimeSpan.FromMinutes(10));
        await RunAsync(b);
        await a.StopAsync();
        await b.StopAsync();

        a.Observer.Breaches.Should().HaveCount(2, "the first host raised both VMs' breaches");
        b.Observer.Breaches.Should().BeEmpty("the second host found them recorded");
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_rpo_breaches WHERE schedule_id = 's1' AND last_completed_at IS NULL")).Should().Be(2);
    }

    [SkippableFact]
    public async Task ConcurrentRecorders_OnTwoStoreInstances_RecordABreachOnce()
    {
        var db = await DatabaseAsync(vms: 1);
        await using var one = MySqlStack.Services(db.ConnectionString);
        await using var two = MySqlStack.Services(db.ConnectionString);
        var stores = new[] { one.GetRequiredService<IRpoStateStore>(), two.GetRequiredService<IRpoStateStore>() };
        var breach = new RpoBreach("s1", "ctx-g1-vm00", "g1-vm00", TimeSpan.FromHours(4), null, Start);
        await stores[0].GetBreachesAsync("s1"); // the schema, before the race

        var recorded = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => stores[i % 2].TryRecordBreachAsync(breach))));

        recorded.Count(r => r is not null).Should().Be(1);
        (await stores[1].GetBreachesAsync("s1")).Should().ContainSingle().Which.Should().Be(breach);
    }

    [SkippableFact]
    public async Task ACompletion_ClearsTheBreach_AndAgingPastTheTargetAgain_RaisesItAgain()
    {
        var db = await DatabaseAsync(vms: 1);
        var clock = new TestClock(Start);
        await using var h = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, new FakeOma(clock));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await h.StartAsync();

        await RunAsync(h);
        h.Observer.Breaches.Should().ContainSingle();
        var outcome = (await RunAsync(h)).VmOutcomes.Single();
        outcome.Kind.Should().Be(VmOutcomeKind.JobCompleted, $"{outcome.Reason} {outcome.StartedAt:O} {outcome.CompletedAt:O}");
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_rpo_breaches")).Should().Be(0, "the completed job cleared the breach");
        h.Observer.Breaches.Should().ContainSingle("the run whose job completed did not raise the same breach again");

        clock.Advance(TimeSpan.FromHours(5));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        await RunAsync(h);
        await h.StopAsync();

        h.Observer.Breaches.Should().HaveCount(2).And.Subject.Last().LastCompletedJobAt.Should().Be(outcome.CompletedAt);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_rpo_breaches WHERE last_completed_at IS NOT NULL")).Should().Be(1);
    }

    [SkippableFact]
    public async Task ApplianceOnlyHistory_ARecentSuccessfulJob_IsNoBreach_AndAFailedOneIsNoCompletion()
    {
        var db = await DatabaseAsync(vms: 2);
        await db.ExecuteAsync(
            """
            INSERT INTO replication_jobs (id, vm_context_id, status, created_at, completed_at) VALUES
              ('job-ok', 'ctx-g1-vm00', 'completed', @created, @recent),
              ('job-bad', 'ctx-g1-vm01', 'failed', @created, @recent)
            """,
            ("@created", Start.AddHours(-1).UtcDateTime), ("@recent", Start.AddMinutes(-30).UtcDateTime));
        await db.ExecuteAsync("UPDATE vm_replication_contexts SET last_successful_job_id = 'job-ok' WHERE context_id = 'ctx-g1-vm00'");
        await db.ExecuteAsync("UPDATE vm_replication_contexts SET last_successful_job_id = 'job-bad' WHERE context_id = 'ctx-g1-vm01'");
        var clock = new TestClock(Start);
        await using var h = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, new FakeOma(clock));

        var vms = await h.Services.GetRequiredService<IScheduleStore>().GetVmContextsAsync(["ctx-g1-vm00", "ctx-g1-vm01"]);
        vms.Single(v => v.VmName == "g1-vm00").LastCompletedJobAt.Should().Be(Start.AddMinutes(-30));
        vms.Single(v => v.VmName == "g1-vm01").LastCompletedJobAt.Should().BeNull("a job that is not completed is no completion, whatever the context points to");

        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent());
        h.Submitter.Script("g1-vm01", FakeSubmitter.Permanent());
        await h.StartAsync();
        await RunAsync(h);
        await h.StopAsync();

        h.Observer.Breaches.Should().ContainSingle().Which.VmName.Should().Be("g1-vm01");
    }

    [SkippableFact]
    public async Task NewerApplianceCompletion_ThanTheRecordedBreach_ClearsItAtTheNextCheck()
    {
        var db = await DatabaseAsync(vms: 1);
        var clock = new TestClock(Start);
        await using var h = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, new FakeOma(clock));
        h.Submitter.Script("g1-vm00", FakeSubmitter.Permanent(), FakeSubmitter.Permanent());
        await h.StartAsync();
        await RunAsync(h);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_rpo_breaches")).Should().Be(1);

        // The OMA ran a job of its own (its GUI, another tool): the SDK learns it from the appliance's tables.
        await db.ExecuteAsync("INSERT INTO replication_jobs (id, vm_context_id, status, completed_at) VALUES ('job-gui', 'ctx-g1-vm00', 'completed', @at)", ("@at", clock.GetUtcNow().UtcDateTime));
        await db.ExecuteAsync("UPDATE vm_replication_contexts SET last_successful_job_id = 'job-gui' WHERE context_id = 'ctx-g1-vm00'");
        clock.Advance(TimeSpan.FromMinutes(5));
        await RunAsync(h);
        await h.StopAsync();

        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_rpo_breaches")).Should().Be(0);
        h.Observer.Breaches.Should().ContainSingle();
    }

    [SkippableFact]
    public async Task LastCompletionRead_UsesIndexLookups_NotScans()
    {
        var db = await DatabaseAsync(vms: 1);
        await db.ExecuteAsync("INSERT INTO replication_jobs (id, status) VALUES ('job-1', 'completed'), ('job-2', 'failed'), ('job-3', 'replicating')");
        await db.ExecuteAsync(
            "INSERT INTO rsdk_executions (execution_id, schedule_id, scheduled_for, trigger_kind, triggered_by, status, started_at, instance_id, updated_at) VALUES ('e1', 's1', @at, 'Manual', 'test', 'Completed', @at, 'i', @at)",
            ("@at", Start.UtcDateTime));
        for (var i = 0; i < 300; i += 50)
        {
            var rows = string.Join(", ", Enumerable.Range(i, 50).Select(n => $"('e1', {n}, 'ctx-{n}', 'vm{n}', 'g1', '{(n % 2 == 0 ? "JobCompleted" : "JobFailed")}', 1, @at)"));
            await db.ExecuteAsync($"INSERT INTO rsdk_vm_outcomes (execution_id, ordinal, context_id, vm_name, group_id, kind, attempts, completed_at) VALUES {rows}", ("@at", Start.UtcDateTime));
        }

        await db.ExecuteAsync("UPDATE vm_replication_contexts SET last_successful_job_id = 'job-1'");
        await db.ExecuteAsync("ANALYZE TABLE rsdk_vm_outcomes, replication_jobs");
        var plan = await db.QueryAsync($"EXPLAIN SELECT c.context_id, {MySqlLastCompletion.Columns} FROM vm_replication_contexts c WHERE c.context_id IN ('ctx-g1-vm00', 'ctx-7')");

        plan.Single(r => (string?)r["table"] == "o")["key"].Should().Be("ix_rsdk_vm_outcomes_completed");
        plan.Single(r => (string?)r["table"] == "j")["key"].Should().Be("PRIMARY");
    }

    /// <summary>Schedule s1 (RPO 4 h, no own occurrences in the test's window), group g1 with <paramref name="vms"/> VMs that never replicated.</summary>
    private async Task<ApplianceDatabase> DatabaseAsync(int vms)
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleWithVmsAsync("s1", "0 0 1 1 *", "g1", vms);
        await db.ExecuteAsync("UPDATE replication_schedules SET retry_attempts = 0 WHERE id = 's1'");
        await MySqlMigrations.ApplyAsync(db.ConnectionString);
        await db.ExecuteAsync("INSERT INTO rsdk_schedule_settings (schedule_id, rpo_target_seconds) VALUES ('s1', 14400)");
        return db;
    }

    /// <summary>
    /// One manual run, the clock moving at most 5 s at a time: a pause between two queries on a busy machine then costs a
    /// few seconds of fake time, never a jump to the hourly change poll (which would age the job past the stale threshold).
    /// </summary>
    private static async Task<ScheduleExecution> RunAsync(SchedulerHarness h) =>
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(await h.Scheduler.TriggerAsync("s1", "test", "alice")), maxJump: TimeSpan.FromSeconds(5));
}
