using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>The operator audit log in the database: the store's default sink, shared by every instance, bounded by its retention.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class AuditSinkOnMySqlTests(MariaDbServer server) : MigratedDatabaseTests(server)
{
    private static readonly DateTimeOffset At = new(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);

    private IAuditSink Sink => Services.GetRequiredService<IAuditSink>();

    [SkippableFact]
    public void UseMySqlStores_MakesTheDatabaseTheAuditSink()
    {
        Server.RequireServer();

        Sink.Should().BeOfType<MySqlAuditSink>("the default is in the store");
        using var memory = new ServiceCollection().AddLogging().AddReplicationScheduling().Services.BuildServiceProvider();
        memory.GetRequiredService<IAuditSink>().Should().BeOfType<InMemoryAuditSink>("without a database the default is in memory");
    }

    [SkippableFact]
    public async Task Records_RoundTrip_NewestFirst_AndAreSharedByEveryInstanceOnTheDatabase()
    {
        Server.RequireServer();
        var first = Record("r1", At, "alice", AuditOutcome.Succeeded) with { ExecutionId = "exec-1", Detail = "nightly run; execution exec-1" };
        var second = Record("r2", At.AddSeconds(1.000_123), "bob", AuditOutcome.Refused) with { Detail = "forbidden: …", Channel = "dashboard" };
        await Sink.WriteAsync(first);
        await using var other = MySqlStack.Services(Db.ConnectionString);

        await other.GetRequiredService<IAuditSink>().WriteAsync(second);

        var recent = await Sink.GetRecentAsync(10);
        recent.Should().Equal([second, first], "microseconds are kept and the newest comes first");
        (await other.GetRequiredService<IAuditSink>().GetRecentAsync(1)).Should().Equal(second);
    }

    [SkippableFact]
    public async Task AWriteRetriedAfterALostAcknowledgement_LeavesOneRecord()
    {
        Server.RequireServer();
        var record = Record("same", At, "alice", AuditOutcome.Succeeded);

        await Sink.WriteAsync(record);
        await Sink.WriteAsync(record);

        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_audit_records")).Should().Be(1);
    }

    [SkippableFact]
    public async Task OversizedValues_AreCut_WithAnEllipsis_NeverSplittingACharacter_AndTheActionStillRecorded()
    {
        Server.RequireServer();
        var longName = new string('n', 253) + "😀tail";
        var record = Record("big", At, longName, AuditOutcome.Failed) with { Target = "schedule '" + new string('t', 600) + "'", Detail = new string('d', 20_000) };

        await Sink.WriteAsync(record);

        var stored = (await Sink.GetRecentAsync(1)).Single();
        stored.Principal.Should().HaveLength(254).And.EndWith("n…", "the emoji's surrogate pair would straddle the cut");
        stored.Target.Should().HaveLength(512).And.EndWith("…");
        stored.Detail.Should().HaveLength(16_000).And.EndWith("…");
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(MySqlAuditSink.MaxLimit + 1)]
    public async Task GetRecent_OutOfRangeLimit_IsRefused(int limit)
    {
        Server.RequireServer();

        await FluentActions.Awaiting(() => Sink.GetRecentAsync(limit)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [SkippableFact]
    public async Task ASinkRegisteredAfterTheStores_Wins()
    {
        Server.RequireServer();
        var services = new ServiceCollection().AddLogging();
        services.AddReplicationScheduling().UseMySqlStores(o => o.ConnectionString = Db.ConnectionString);
        services.AddSingleton<IAuditSink, InMemoryAuditSink>();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IAuditSink>().Should().BeOfType<InMemoryAuditSink>();
    }

    [SkippableFact]
    public async Task RetentionSweep_DeletesAuditRecordsOlderThanAuditRetention_AndKeepsTheRest()
    {
        Server.RequireServer();
        var clock = new FakeTimeProvider(At.AddDays(30));
        // Execution retention off: the audit trim runs on its own.
        await using var services = MySqlStack.Services(Db.ConnectionString, clock, o => (o.AuditRetention, o.ExecutionRetention) = (TimeSpan.FromDays(7), TimeSpan.Zero));
        var sink = services.GetRequiredService<IAuditSink>();
        for (var day = 0; day < 30; day++)
        {
            await sink.WriteAsync(Record($"d{day:D2}", At.AddDays(day), "alice", AuditOutcome.Succeeded));
        }

        var sweeper = new MySqlRetentionSweeper(services.GetRequiredService<MySqlStoreContext>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<MySqlRetentionSweeper>.Instance) { BatchSize = 5 };
        var sweep = await sweeper.SweepAsync();

        sweep.AuditRecords.Should().Be(23, "days 0 to 22 are older than 7 days; day 23 is exactly at the cutoff and stays");
        (sweep.AuditBatches, sweep.Complete).Should().Be((5, true), "batches of 5: 5 + 5 + 5 + 5 + 3");
        (await sink.GetRecentAsync(100)).Select(r => r.Id).Should().Equal(Enumerable.Range(23, 7).Reverse().Select(d => $"d{d:D2}"));
        (await sweeper.SweepAsync()).AuditRecords.Should().Be(0);
    }

    [SkippableFact]
    public async Task AuditRetentionZero_KeepsEveryRecord_WhileExecutionsAreStillSwept()
    {
        Server.RequireServer();
        var clock = new FakeTimeProvider(At.AddDays(5000));
        await using var services = MySqlStack.Services(Db.ConnectionString, clock, o => o.AuditRetention = TimeSpan.Zero);
        await services.GetRequiredService<IAuditSink>().WriteAsync(Record("ancient", At, "alice", AuditOutcome.Succeeded));

        var sweep = await services.GetRequiredService<MySqlRetentionSweeper>().SweepAsync();

        (sweep.Skipped, sweep.AuditRecords).Should().Be((false, 0), "the execution sweep still runs");
        (await Db.CountAsync("SELECT COUNT(*) FROM rsdk_audit_records")).Should().Be(1);
    }

    [Theory]
    [InlineData("12:00:00")]
    [InlineData("3651.00:00:00")]
    public void AuditRetention_OutOfRange_IsRejectedNamingTheKey(string value)
    {
        using var services = MySqlStack.Services("Server=127.0.0.1;Database=oma", configure: o => o.AuditRetention = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        FluentActions.Invoking(() => services.GetRequiredService<IOptions<MySqlStoreOptions>>().Value).Should().Throw<OptionsValidationException>()
            .Which.Message.Should().Contain("Replication:Scheduler:MySql:AuditRetention must be between 1.00:00:00 and 3650.00:00:00; was " + value);
        new MySqlStoreOptions().AuditRetention.Should().Be(TimeSpan.FromDays(400), "the documented default");
    }

    [SkippableFact]
    public async Task ExecutionListing_PagesAlongTheStartIndex_NotAScanAndSort()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 * * * *");
        var executions = Services.GetRequiredService<IExecutionStore>();
        for (var i = 0; i < 300; i++)
        {
            (await executions.TryCreateAsync(new ScheduleExecution
            {
                Id = $"e{i:D3}", ScheduleId = "s1", ScheduledFor = At.AddHours(i), TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler",
                Status = ExecutionStatus.Completed, StartedAt = At.AddHours(i), CompletedAt = At.AddHours(i).AddMinutes(1),
            })).Should().BeTrue();
        }

        await Db.ExecuteAsync("ANALYZE TABLE rsdk_executions");

        // The listing's statement as MySqlExecutionStore.QueryAsync writes it without filters.
        var plan = await Db.QueryAsync("EXPLAIN SELECT execution_id FROM rsdk_executions e ORDER BY e.started_at DESC, e.execution_id DESC LIMIT 50 OFFSET 100");
        var page = await executions.QueryAsync(new ExecutionQuery { Skip = 100, Take = 50 });

        plan.Single()["key"].Should().Be("ix_rsdk_executions_started");
        ((string?)plan.Single()["Extra"] ?? string.Empty).Should().NotContain("filesort", "the index gives the order");
        page.Items.Select(e => e.Id).Should().Equal(Enumerable.Range(150, 50).Reverse().Select(i => $"e{i:D3}"));
        page.Total.Should().Be(300);
    }

    private static AuditRecord Record(string id, DateTimeOffset at, string who, AuditOutcome outcome) => new()
    {
        Id = id, At = at, Principal = who, Action = "trigger", Target = "schedule 'nightly'", Outcome = outcome, Channel = "api",
    };
}
