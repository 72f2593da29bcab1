using Microsoft.Extensions.DependencyInjection;
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

            // Time stands still until every engine has planned both schedules (start-up reads the database).
            await clock.RunUntilAsync(WaitUntil(() => engines.All(e => e.Engine.NextFireTime("half-hourly") is not null && e.Engine.NextFireTime("two-hourly") is not null)), maxJump: TimeSpan.Zero);

            // Occurrence by occurrence: fake time runs freely up to just before the next one, and moves on only when every
            // occurrence so far has a finished execution. Real work (a query, first-call JIT) can then never make fake time
            // overtake an occurrence, so the outcome does not depend on how busy the machine is.
            var occurrences = Enumerable.Range(1, 48).Select(i => Start.AddMinutes(30 * i)).ToList();
            for (var i = 0; i < occurrences.Count; i++)
            {
                var expected = (i + 1) + ((i + 1) / 4);   // every half hour, plus every two hours
                clock.Horizon = i + 1 < occurrences.Count ? occurrences[i + 1].AddSeconds(-1) : occurrences[i].AddMinutes(29);
                await clock.RunUntilAsync(WaitUntil(() => engines.Sum(e => e.Observer.Finished.Count) >= expected));
            }

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

        var dump = string.Join("\n", (await db.QueryAsync("SELECT e.scheduled_for, e.trigger_kind, e.status, e.instance_id, o.vm_name, o.kind, o.reason FROM rsdk_executions e LEFT JOIN rsdk_vm_outcomes o ON o.execution_id = e.execution_id WHERE e.status <> 'Completed' OR e.trigger_kind <> 'Scheduled' OR o.kind <> 'JobCompleted' ORDER BY e.scheduled_for"))
            .Select(r => string.Join(" | ", r.Values)));

        // 48 half-hourly and 12 two-hourly occurrences in (00:00, 24:00]: each claimed once and run once, on time.
        var claims = await db.QueryAsync("SELECT schedule_id, COUNT(*) AS n FROM rsdk_occurrence_claims GROUP BY schedule_id ORDER BY schedule_id");
        claims.Select(r => ((string)r["schedule_id"]!, Convert.ToInt64(r["n"]))).Should().Equal([("half-hourly", 48L), ("two-hourly", 12L)], dump);
        (await db.CountAsync("SELECT COUNT(*) FROM (SELECT schedule_id, scheduled_at FROM schedule_executions GROUP BY schedule_id, scheduled_at HAVING COUNT(*) > 1) d"))
            .Should().Be(0, "no occurrence has two execution rows");
        (await db.CountAsync("SELECT COUNT(*) FROM schedule_executions WHERE status = 'completed'")).Should().Be(60, dump);
        (await db.CountAsync("SELECT COUNT(*) FROM schedule_executions")).Should().Be(60, dump);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_executions WHERE trigger_kind IN ('Scheduled', 'CatchUp') AND status = 'Completed'")).Should().Be(60, dump);

        // Every VM of every run has exactly one outcome, it completed, and every job the OMA created is recorded once.
        const long VmRuns = (48 * 3) + (12 * 2);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_vm_outcomes")).Should().Be(VmRuns, dump);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_vm_outcomes WHERE kind = 'JobCompleted'")).Should().Be(VmRuns, dump);
        (await db.CountAsync("SELECT SUM(jobs_completed) FROM schedule_executions")).Should().Be(VmRuns);
        oma.CreatedOrder.Should().HaveCount((int)VmRuns, "one job per VM per occurrence, across all three engines");
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

        var finished = (await clock.RunUntilAsync(engine.Observer.WaitForAsync(1), maxJump: TimeSpan.FromMinutes(10))).Single();
        await engine.StopAsync();

        proxy.Refused.Should().BeGreaterThanOrEqualTo(6, "three outages each refused two connection attempts, which the engine retried");
        finished.Status.Should().Be(ExecutionStatus.Completed);
        var stored = await MySqlStack.Services(db.ConnectionString).GetRequiredService<IExecutionStore>().GetAsync(finished.Id);
        stored.Should().BeEquivalentTo(finished);
        stored!.VmOutcomes.Should().HaveCount(4).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted);
        var row = (await db.QueryAsync("SELECT status, jobs_created, jobs_completed FROM schedule_executions")).Single();
        (row["status"], row["jobs_created"], row["jobs_completed"]).Should().Be(("completed", 4, 4));
    }

    internal static SchedulerHarness Engine(string instanceId, string connectionString, TestClock clock, FakeOma oma)
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

    internal static async Task WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
