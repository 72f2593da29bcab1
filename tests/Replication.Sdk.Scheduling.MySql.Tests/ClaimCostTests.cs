using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// What one claimed occurrence costs the database, counted by the server itself (MariaDB's per-user statistics, under a
/// user only this test uses): load-independent figures, so they are assertions; the timings are in the benchmarks.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ClaimCostTests(MariaDbServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2025, 3, 30, 0, 59, 58, TimeSpan.Zero);
    private ServiceProvider? _services;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _services is null ? Task.CompletedTask : _services.DisposeAsync().AsTask();

    [SkippableFact]
    public async Task TryCreate_ScheduledOccurrenceUnderALease_IsOneCommitAndThreeStatements()
    {
        var (executions, leases, user, _) = await StartAsync();
        var lease = (await leases.TryAcquireAsync("engine-a", At, At.AddMinutes(1))).Lease!;
        await executions.TryCreateAsync(Execution("warm-up", "s1", At.AddSeconds(-1), lease)); // schema gate, pool
        const int Claims = 20;
        var before = await server.UserStatisticsAsync(user);

        for (var i = 0; i < Claims; i++)
        {
            // Sub-second steps across the DST night of Europe: the claim key is the UTC second, whatever the zone.
            (await executions.TryCreateAsync(Execution($"e{i}", "s1", At.AddMilliseconds(1_500 * i), lease))).Should().BeTrue();
        }

        var cost = await server.UserStatisticsAsync(user) - before;
        cost.Commits.Should().Be(Claims, "one transaction per claim");
        cost.Statements.Should().Be(3 * Claims, $"claim + appliance row + SDK row per occurrence (measured {cost})");
        cost.Rollbacks.Should().Be(0);
    }

    [SkippableFact]
    public async Task TryCreate_AnOccurrenceClaimedElsewhere_IsRefused_AndWritesNothing()
    {
        var (executions, leases, user, db) = await StartAsync();
        var lease = (await leases.TryAcquireAsync("engine-a", At, At.AddMinutes(1))).Lease!;
        (await executions.TryCreateAsync(Execution("first", "s1", At, lease))).Should().BeTrue();
        var before = await server.UserStatisticsAsync(user);

        (await executions.TryCreateAsync(Execution("second", "s1", At.AddMilliseconds(400), lease))).Should().BeFalse("the same UTC second is one occurrence");

        var cost = await server.UserStatisticsAsync(user) - before;
        cost.Commits.Should().Be(0);
        (await db.CountAsync("SELECT COUNT(*) FROM schedule_executions")).Should().Be(1);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_executions")).Should().Be(1);
    }

    [SkippableFact]
    public async Task TryCreate_UnderALeaseTakenOver_ThrowsLeaseLost_AndClaimsNothing()
    {
        var (executions, leases, _, db) = await StartAsync();
        var lease = (await leases.TryAcquireAsync("engine-a", At, At.AddSeconds(5))).Lease!;
        var survivor = (await leases.TryAcquireAsync("engine-b", At, At.AddMinutes(5))).Lease!;
        (await leases.ClaimExpiredAsync(survivor, At.AddSeconds(10))).Should().ContainSingle();

        var act = () => executions.TryCreateAsync(Execution("late", "s1", At.AddSeconds(11), lease));

        await act.Should().ThrowAsync<LeaseLostException>();
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_occurrence_claims")).Should().Be(0);
        (await db.CountAsync("SELECT COUNT(*) FROM schedule_executions")).Should().Be(0);
    }

    [SkippableFact]
    public async Task TryCreate_AtOrBeforeATrimmedClaim_IsRefused_AndClaimsNothing()
    {
        var (executions, leases, _, db) = await StartAsync();
        var lease = (await leases.TryAcquireAsync("engine-a", At, At.AddMinutes(1))).Lease!;
        await db.ExecuteAsync("INSERT INTO rsdk_occurrence_watermarks (schedule_id, trimmed_through) VALUES ('s1', @at)", ("@at", At.UtcDateTime));

        (await executions.TryCreateAsync(Execution("trimmed", "s1", At, lease))).Should().BeFalse();
        (await executions.TryCreateAsync(Execution("after", "s1", At.AddSeconds(1), lease))).Should().BeTrue();

        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_occurrence_claims")).Should().Be(1);
    }

    private async Task<(IExecutionStore Executions, IInstanceLeaseStore Leases, string User, ApplianceDatabase Db)> StartAsync()
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleAsync("s1", "* * * * * *");
        var (counted, user) = await server.CreateCountedUserAsync(new MySqlConnectionStringBuilder(db.ConnectionString).Database);
        var services = _services = MySqlStack.Services(counted);
        return (services.GetRequiredService<IExecutionStore>(), services.GetRequiredService<IInstanceLeaseStore>(), user, db);
    }

    private static ScheduleExecution Execution(string id, string scheduleId, DateTimeOffset scheduledFor, InstanceLeaseToken lease) => new()
    {
        Id = id,
        ScheduleId = scheduleId,
        ScheduledFor = scheduledFor,
        TriggerKind = TriggerKind.Scheduled,
        TriggeredBy = "scheduler",
        StartedAt = scheduledFor,
        InstanceId = lease.InstanceId,
        LeaseToken = lease.Token,
    };
}
