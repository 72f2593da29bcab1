using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>Scheduler engines on the MySQL stores, on a test clock: several instances on one database, and a database that drops out.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SchedulerOnMySqlTests(MariaDbServer server)
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task ThreeEngines_OneDatabase_OneSimulatedDay_RunEveryOccurrenceExactlyOnce()
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleWithVmsAsync("half-hourly", "*/30 * * * *", "web", 3);
        await db.AddScheduleWithVmsAsync("two-hourly", "0 0 */2 * * *", "db", 2);
        var clock = new TestClock(Start);
        var oma = new FakeOma(clock);
        var engines = new[] { "engine-a", "engine-b", "engine-c" }.Select(id => Engine(id, db.ConnectionString, clock, oma)).ToList();
        try
        {
            foreach (var engine in engines)
            {
                await engine.StartAsync();
            }

            var end = Start.AddDays(1);
            await clock.RunUntilAsync(WaitUntil(() => clock.GetUtcNow() > end.AddMinutes(5) && engines.Sum(e => e.Observer.Finished.Count) >= 60));
            foreach (var engine in engines)
            {
                await engine.StopAsync();
            }
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync();
            }
        }

        // The clock may run on to the next day's 00:30 occurrence, which the stop cancels honestly; the day is (00:00, 24:00].
        var dayEnd = ("@end", (object?)Start.AddDays(1).UtcDateTime);
        var dump = string.Join("\n", (await db.QueryAsync("SELECT schedule_id, scheduled_for, trigger_kind, status, instance_id, reason, error FROM rsdk_executions WHERE status <> 'Completed' OR trigger_kind <> 'Scheduled' ORDER BY scheduled_for"))
            .Select(r => string.Join(" | ", r.Values)))
            + "\n" + string.Join("\n", (await db.QueryAsync("SELECT e.scheduled_for, e.status, e.instance_id, o.vm_name, o.kind, o.skip_reason, o.reason FROM rsdk_vm_outcomes o JOIN rsdk_executions e ON e.execution_id = o.execution_id WHERE o.kind <> 'JobCompleted' ORDER BY e.scheduled_for"))
            .Select(r => string.Join(" | ", r.Values)));

        var claims = await db.QueryAsync("SELECT schedule_id, COUNT(*) AS n FROM rsdk_occurrence_claims WHERE scheduled_for <= @end GROUP BY schedule_id ORDER BY schedule_id", dayEnd);
        claims.Select(r => ((string)r["schedule_id"]!, Convert.ToInt64(r["n"]))).Should().Equal([("half-hourly", 48L), ("two-hourly", 12L)], dump);
        (await db.CountAsync("SELECT COUNT(*) FROM (SELECT schedule_id, scheduled_at FROM schedule_executions GROUP BY schedule_id, scheduled_at HAVING COUNT(*) > 1) d"))
            .Should().Be(0, "no occurrence has two execution rows");
        (await db.CountAsync("SELECT COUNT(*) FROM schedule_executions")).Should().Be(await db.CountAsync("SELECT COUNT(*) FROM rsdk_occurrence_claims"));

        // Fake time runs ahead while real work (first-call JIT, a slow query) is in progress, so an occurrence may find the
        // previous run still going: it is then recorded as skipped, which is the schedule's skip-if-running policy at work.
        var ran = await db.CountAsync("SELECT COUNT(*) FROM schedule_executions WHERE scheduled_at <= @end AND status = 'completed'", dayEnd);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_executions WHERE scheduled_for <= @end AND status = 'Skipped' AND reason LIKE '%still running (skip if running)'", dayEnd))
            .Should().Be(60 - ran, dump);
        ran.Should().BeGreaterThan(40, dump);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_executions WHERE trigger_kind NOT IN ('Scheduled', 'CatchUp')")).Should().Be(0);

        var vmRuns = await db.CountAsync("SELECT SUM(CASE schedule_id WHEN 'half-hourly' THEN 3 ELSE 2 END) FROM schedule_executions WHERE scheduled_at <= @end AND status = 'completed'", dayEnd);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_vm_outcomes o JOIN rsdk_executions e ON e.execution_id = o.execution_id WHERE e.scheduled_for <= @end", dayEnd))
            .Should().Be(vmRuns, "every VM of every execution that ran has exactly one outcome");
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_vm_outcomes o JOIN rsdk_executions e ON e.execution_id = o.execution_id WHERE e.scheduled_for <= @end AND o.kind NOT IN ('JobCompleted', 'NotStarted')", dayEnd))
            .Should().Be(0, "a VM either ran to completion or found no slot before the next occurrence (when fake time ran ahead)\n" + dump);
        var completed = await db.CountAsync("SELECT COUNT(*) FROM rsdk_vm_outcomes o JOIN rsdk_executions e ON e.execution_id = o.execution_id WHERE e.scheduled_for <= @end AND o.kind = 'JobCompleted'", dayEnd);
        completed.Should().BeGreaterThan(100, dump);
        (await db.CountAsync("SELECT SUM(jobs_completed) FROM schedule_executions WHERE scheduled_at <= @end", dayEnd)).Should().Be(completed);
        (await db.CountAsync("SELECT SUM(jobs_created) FROM schedule_executions")).Should().Be(oma.CreatedOrder.Count, "every job the OMA created is recorded once, across all three engines");
    }

    [SkippableFact]
    public async Task DatabaseDropsOutDuringAnExecution_WritesAreRetried_AndNoOutcomeIsLost()
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleWithVmsAsync("s1", "0 2 * * *", "g1", 4);
        await using var proxy = new TcpProxy(server.Port);
        var viaProxy = server.ConnectionString(new MySqlConnector.MySqlConnectionStringBuilder(db.ConnectionString).Database, proxy.Port);
        var clock = new TestClock(Start);
        await using var engine = Engine("engine-a", viaProxy, clock, new FakeOma(clock));
        var outages = 0;
        engine.Observer.OnOutcome = _ =>
        {
            if (Interlocked.Increment(ref outages) <= 3)
            {
                proxy.Outage(refuseNext: 2);
            }
        };
        await engine.StartAsync();

        var finished = (await clock.RunUntilAsync(engine.Observer.WaitForAsync(1))).Single();
        await engine.StopAsync();

        proxy.Refused.Should().BeGreaterThanOrEqualTo(6, "three outages each refused two connection attempts, which the engine retried");
        finished.Status.Should().Be(ExecutionStatus.Completed);
        var stored = await MySqlStack.Services(db.ConnectionString).GetRequiredService<IExecutionStore>().GetAsync(finished.Id);
        stored.Should().BeEquivalentTo(finished);
        stored!.VmOutcomes.Should().HaveCount(4).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
        var row = (await db.QueryAsync("SELECT status, jobs_created, jobs_completed FROM schedule_executions")).Single();
        (row["status"], row["jobs_created"], row["jobs_completed"]).Should().Be(("completed", 4, 4));
    }

    private static SchedulerHarness Engine(string instanceId, string connectionString, TestClock clock, FakeOma oma)
    {
        var flight = new InFlight();
        var previous = clock.IsBusy;
        clock.IsBusy = () => flight.Busy || previous?.Invoke() == true;
        return SchedulerHarness.Create(Start, instanceId, oma: oma, clock: clock, configure: b =>
        {
            b.UseMySqlStores(o =>
            {
                o.ConnectionString = connectionString;
                o.ApplyMigrationsOnStart = true;
                o.ChangePollInterval = TimeSpan.FromHours(1);
            });
            flight.Decorate(b.Services);
        });
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
