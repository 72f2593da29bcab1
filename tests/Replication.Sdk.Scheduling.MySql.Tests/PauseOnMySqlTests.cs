using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>Pauses through the MySQL store: two engines on one database, a pause made through one obeyed by both.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class PauseOnMySqlTests(MariaDbServer server)
{
    private static readonly DateTimeOffset Start = new(2025, 3, 7, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task TwoEngines_OneDatabase_APauseMadeOnOne_IsObeyedByBoth_AndTheResumeOnTheOtherReportsEveryOccurrenceOnce()
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleWithVmsAsync("half-hourly", "*/30 * * * *", "web", 2);
        var clock = new TestClock(Start) { Overshoot = TimeSpan.FromMilliseconds(370) };
        var oma = new FakeOma(clock);
        await using var a = SchedulerOnMySqlTests.Engine("engine-a", db.ConnectionString, clock, oma);
        await using var b = SchedulerOnMySqlTests.Engine("engine-b", db.ConnectionString, clock, oma);
        var pause = await a.Services.GetRequiredService<IPauseControl>().PauseAsync(PauseTarget.Schedule("half-hourly"), "storage migration", "alice");
        await a.StartAsync();
        await b.StartAsync();
        await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => a.Engine.NextFireTime("half-hourly") is not null && b.Engine.NextFireTime("half-hourly") is not null), maxJump: TimeSpan.Zero);

        // 00:30, 01:00, 01:30 while paused; one occurrence at a time, so real I/O never lets fake time pass one.
        for (var i = 1; i <= 3; i++)
        {
            clock.Horizon = Start.AddMinutes(30 * (i + 1)).AddSeconds(-1);
            await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => a.Observer.Finished.Count + b.Observer.Finished.Count >= i));
        }

        var report = await b.Services.GetRequiredService<IPauseControl>().ResumeAsync(PauseTarget.Schedule("half-hourly"), "bob");
        clock.Horizon = Start.AddMinutes(150).AddSeconds(-1);
        await clock.RunUntilAsync(SchedulerOnMySqlTests.WaitUntil(() => a.Observer.Finished.Count + b.Observer.Finished.Count >= 4));
        await a.StopAsync();
        await b.StopAsync();

        var rows = await db.QueryAsync("SELECT execution_id, scheduled_for, status, skip_reason, reason FROM rsdk_executions ORDER BY scheduled_for");
        rows.Select(r => ((string)r["status"]!, r["skip_reason"] as string)).Should().Equal(
            ("Skipped", "Paused"), ("Skipped", "Paused"), ("Skipped", "Paused"), ("Completed", null));
        rows.Take(3).Should().OnlyContain(r => ((string)r["reason"]!).Contains("storage migration"));
        report!.Pause.Id.Should().Be(pause.Id);
        report.SkippedCount.Should().Be(3, "each occurrence counts once, whichever engine saw it first");
        report.SkippedExecutionIds.Should().BeEquivalentTo(rows.Take(3).Select(r => (string)r["execution_id"]!));
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_pauses")).Should().Be(0);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_pause_skips")).Should().Be(0, "the resume took the tally with it");
        oma.CreatedOrder.Should().HaveCount(2, "only the occurrence after the resume ran, once");
    }
}
