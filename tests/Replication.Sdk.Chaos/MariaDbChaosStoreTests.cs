using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Chaos;

/// <summary>The MariaDB soak's own database check can fail: appliance rows that disagree with the SDK's records are reported.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbChaosStoreTests(MariaDbServer server)
{
    private static readonly DateTimeOffset At = new(2026, 3, 7, 20, 10, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task CheckDerived_ReportsMissingExtraAndMiscountedApplianceRows()
    {
        server.RequireServer();
        await using var store = await MariaDbChaosStore.CreateAsync(server);
        var db = store.Database;
        await db.AddScheduleAsync("s1", "*/10 * * * *");
        await db.ExecuteAsync("INSERT INTO schedule_executions (id, schedule_id, scheduled_at, status, jobs_created, jobs_completed) VALUES ('counted-wrong', 's1', @at, 'completed', 1, 0), ('stray', 's1', @at, 'running', 0, 0), ('agrees', 's1', @at, 'completed', 1, 1)", ("@at", At.UtcDateTime));

        var violations = await store.CheckDerivedAsync([Completed("counted-wrong"), Completed("no-row"), Completed("agrees")]);

        violations.Should().HaveCount(3);
        violations.Should().ContainSingle(v => v.StartsWith("execution counted-wrong: schedule_executions says (completed, 1, 0, 0)", StringComparison.Ordinal));
        violations.Should().ContainSingle(v => v == "execution no-row has no schedule_executions row");
        violations.Should().ContainSingle(v => v == "schedule_executions row stray has no SDK execution record");
    }

    private static ScheduleExecution Completed(string id) => new()
    {
        Id = id, ScheduleId = "s1", ScheduledFor = At, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = At,
        CompletedAt = At.AddMinutes(5), Status = ExecutionStatus.Completed,
        VmOutcomes = [new VmOutcome { ContextId = "ctx-vm001", VmName = "vm001", GroupId = "g1", Kind = VmOutcomeKind.JobCompleted, JobId = "job-1" }],
    };
}
