using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>The retention sweep of the SDK-owned tables: what it deletes, what it must keep, and that exactly-once survives it.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class RetentionTests(MariaDbServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2025, 1, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>100 days after <see cref="At"/>: with the default 90 days, executions completed before At + 10 days are expired.</summary>
    private readonly FakeTimeProvider _clock = new(At.AddDays(100));
    private ApplianceDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        if (server.Unavailable is not null && !MariaDbServer.InCi)
        {
            return;
        }

        _db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        foreach (var id in new[] { "s1", "s2", "s3" })
        {
            await _db.AddScheduleAsync(id, "0 0 2 * * *");
        }

        _services = MySqlStack.Services(_db.ConnectionString, _clock);
    }

    public Task DisposeAsync() => _services is null ? Task.CompletedTask : _services.DisposeAsync().AsTask();

    private IExecutionStore Executions => _services.GetRequiredService<IExecutionStore>();

    private MySqlRetentionSweeper Sweeper => _services.GetRequiredService<MySqlRetentionSweeper>();

    [SkippableFact]
    public async Task Sweep_DeletesOldFinishedExecutions_WithOutcomesAndClaims_AndKeepsRunningRecentAndTheNewestPerSchedule()
    {
        server.RequireServer();
        await SeedAsync();
        var applianceRows = await _db.CountAsync("SELECT COUNT(*) FROM schedule_executions");

        var sweep = await Sweeper.SweepAsync();

        (sweep.Executions, sweep.Claims, sweep.Complete, sweep.Skipped).Should().Be((3, 3, true, false));
        sweep.Cutoff.Should().Be(At.AddDays(10));
        (await Ids("SELECT execution_id AS id FROM rsdk_executions")).Should().BeEquivalentTo(
            ["s1-running", "s1-recent", "s2-only", "s3-manual"],
            "running and recent executions stay, and s2's and s3's newest stay although they are old");
        (await Ids("SELECT DISTINCT execution_id AS id FROM rsdk_vm_outcomes")).Should().BeEquivalentTo(["s1-running", "s1-recent", "s2-only", "s3-manual"], "outcomes go with their execution");
        (await Ids("SELECT execution_id AS id FROM rsdk_occurrence_claims")).Should().BeEquivalentTo(["s1-running", "s1-recent", "s2-only"]);
        (await _db.CountAsync("SELECT COUNT(*) FROM schedule_executions")).Should().Be(applianceRows, "the appliance's own table is never purged");
        (await Executions.GetAsync("s1-old1")).Should().BeNull();
        (await Executions.ListAsync("s1", 10)).Select(e => e.Id).Should().Equal("s1-recent", "s1-running");

        (await Executions.GetLastOccurrenceAsync("s1")).Should().Be(At.AddDays(95));
        (await Executions.GetLastOccurrenceAsync("s2")).Should().Be(At);
        (await Executions.GetLastOccurrenceAsync("s3")).Should().Be(At, "s3's only claim was trimmed; its watermark keeps the last occurrence");

        var again = await Sweeper.SweepAsync();
        (again.Executions, again.Claims).Should().Be((0, 0), "a second sweep finds nothing more to delete");
    }

    [SkippableFact]
    public async Task TrimmedOccurrence_IsNeverClaimedAgain_ButLaterOnesAre()
    {
        server.RequireServer();
        await SeedAsync();
        await Sweeper.SweepAsync();

        (await Executions.TryCreateAsync(Execution("again-old1", "s1", At))).Should().BeFalse("that occurrence ran; its claim was trimmed");
        (await Executions.TryCreateAsync(Execution("between", "s1", At.AddHours(12)))).Should().BeFalse("it lies before the newest trimmed occurrence of s1");
        (await Executions.TryCreateAsync(Execution("again-s3", "s3", At))).Should().BeFalse();
        (await Executions.TryCreateAsync(Execution("again-recent", "s1", At.AddDays(95)))).Should().BeFalse("a kept claim still holds its occurrence");
        (await Executions.TryCreateAsync(Execution("next", "s1", At.AddDays(101)))).Should().BeTrue();
        (await Executions.TryCreateAsync(Execution("manual", "s1", At) with { TriggerKind = TriggerKind.Manual })).Should().BeTrue("a manual run is not an occurrence");
        (await Executions.TryCreateAsync(Execution("s2-next", "s2", At.AddDays(1)))).Should().BeTrue("s2 had nothing trimmed");
        (await Ids("SELECT execution_id AS id FROM rsdk_executions WHERE execution_id LIKE 'again%' OR execution_id = 'between'")).Should().BeEmpty("a refused claim writes nothing");
    }

    [SkippableFact]
    public async Task Sweep_DeletesInBoundedBatches_AndLeavesABacklogForTheNextSweep()
    {
        server.RequireServer();
        for (var i = 0; i < 8; i++)
        {
            await FinishedAsync($"e{i}", "s1", At.AddHours(i), completedAt: At.AddHours(i).AddMinutes(5));
        }

        var sweeper = new MySqlRetentionSweeper(_services.GetRequiredService<MySqlStoreContext>(), _clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<MySqlRetentionSweeper>.Instance)
        {
            BatchSize = 2,
            MaxBatches = 2,
        };

        var first = await sweeper.SweepAsync();
        var second = await sweeper.SweepAsync();

        (first.Executions, first.Batches, first.Complete).Should().Be((4, 2, false), "the batch cap stops the sweep");
        (second.Executions, second.Batches, second.Complete).Should().Be((3, 2, true), "the newest of s1 stays, so the last batch is short");
        (await Ids("SELECT execution_id AS id FROM rsdk_executions")).Should().Equal("e7");
    }

    [SkippableFact]
    public async Task Sweep_WhileAnotherInstanceSweeps_SkipsWithoutDeleting()
    {
        server.RequireServer();
        await SeedAsync();
        await using var other = new MySqlConnector.MySqlConnection(_db.ConnectionString);
        await other.OpenAsync();
        await using (var take = new MySqlConnector.MySqlCommand("SELECT GET_LOCK('replication_sdk_retention', 0)", other))
        {
            (await take.ExecuteScalarAsync()).Should().Be(1L);
        }

        var skipped = await Sweeper.SweepAsync();

        (skipped.Skipped, skipped.Executions).Should().Be((true, 0));
        (await _db.CountAsync("SELECT COUNT(*) FROM rsdk_executions")).Should().Be(7);
        await using (var release = new MySqlConnector.MySqlCommand("DO RELEASE_LOCK('replication_sdk_retention')", other))
        {
            await release.ExecuteNonQueryAsync();
        }

        (await Sweeper.SweepAsync()).Executions.Should().Be(3, "once the other instance is done, this one sweeps");
    }

    [SkippableFact]
    public async Task SweepQuery_UsesTheFinishedIndex_NotATableScan()
    {
        server.RequireServer();
        for (var i = 0; i < 200; i++)
        {
            await FinishedAsync($"e{i}", $"s{1 + (i % 3)}", At.AddDays(i), completedAt: At.AddDays(i).AddMinutes(5));
        }

        await _db.ExecuteAsync("ANALYZE TABLE rsdk_executions");

        // The sweep's candidate query, as MySqlRetentionSweeper writes it.
        var plan = await _db.QueryAsync(
            """
            EXPLAIN SELECT e.execution_id FROM rsdk_executions e
            WHERE e.status IN ('Completed', 'CompletedWithErrors', 'Failed', 'Interrupted', 'Skipped', 'Missed', 'Cancelled') AND e.completed_at < @cutoff
              AND EXISTS (SELECT 1 FROM rsdk_executions n WHERE n.schedule_id = e.schedule_id AND n.scheduled_for > e.scheduled_for)
            LIMIT 100
            """,
            ("@cutoff", At.AddDays(10).UtcDateTime));

        plan.Select(r => (string?)r["key"]).Should().Equal("ix_rsdk_executions_finished", "ix_rsdk_executions_schedule");
        Enum.GetNames<ExecutionStatus>().Where(s => s != "Running").Should().HaveCount(7, "the EXPLAIN above lists every finished status");
    }

    [SkippableFact]
    public async Task BackgroundService_SweepsOnTheInjectedClock()
    {
        server.RequireServer();
        await SeedAsync();
        var service = _services.GetServices<IHostedService>().OfType<MySqlRetentionService>().Single();
        var swept = new TaskCompletionSource<RetentionSweep?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Sweeper.Swept = s => swept.TrySetResult(s);
        await service.StartAsync(CancellationToken.None);

        swept.Task.IsCompleted.Should().BeFalse("the first sweep waits a minute after start");
        _clock.Advance(MySqlRetentionService.Soon);
        var sweep = await swept.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        sweep.Should().NotBeNull();
        sweep!.Executions.Should().Be(3);
        (await _db.CountAsync("SELECT COUNT(*) FROM rsdk_executions")).Should().Be(4);
    }

    [SkippableFact]
    public async Task RetentionZero_TurnsTheSweepOff()
    {
        server.RequireServer();
        await using var services = MySqlStack.Services(_db.ConnectionString, _clock, o => (o.ExecutionRetention, o.AuditRetention) = (TimeSpan.Zero, TimeSpan.Zero));
        var service = services.GetServices<IHostedService>().OfType<MySqlRetentionService>().Single();

        await SeedAsync();
        await service.StartAsync(CancellationToken.None);

        service.ExecuteTask.Should().NotBeNull();

        // Without advancing the clock: with retention off the loop ends by itself instead of waiting for a timer.
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        service.ExecuteTask.IsCompletedSuccessfully.Should().BeTrue();
        await service.StopAsync(CancellationToken.None);
        var direct = await services.GetRequiredService<MySqlRetentionSweeper>().SweepAsync();
        (direct.Skipped, direct.Executions).Should().Be((true, 0), "off keeps everything; it never means that everything has expired");
        (await _db.CountAsync("SELECT COUNT(*) FROM rsdk_executions")).Should().Be(7);
    }

    [SkippableFact]
    public async Task UpgradeFromVersion1_AddsTheIndexAndWatermarks()
    {
        server.RequireServer();

        await MySqlMigrations.ApplyAsync(_db.ConnectionString);

        // A database as version 1 left it: no retention index, no watermark table.
        await _db.ExecuteAsync("DROP INDEX ix_rsdk_executions_finished ON rsdk_executions");
        await _db.ExecuteAsync("DROP TABLE rsdk_occurrence_watermarks");
        await _db.ExecuteAsync("DELETE FROM rsdk_schema_version WHERE version > 1");

        (await MySqlMigrations.ApplyAsync(_db.ConnectionString)).Should().Be(MySqlMigrations.CurrentVersion);

        (await _db.CountAsync("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'ix_rsdk_executions_finished'"))
            .Should().Be(2, "one row per indexed column: (status, completed_at)");
        (await _db.CountAsync("SELECT COUNT(*) FROM rsdk_occurrence_watermarks")).Should().Be(0);
    }

    [Theory]
    [InlineData("01:00:00")]
    [InlineData("-1.00:00:00")]
    [InlineData("3651.00:00:00")]
    public void ExecutionRetention_OutOfRange_IsRejectedNamingTheKey(string value)
    {
        using var services = MySqlStack.Services("Server=127.0.0.1;Database=oma", configure: o => o.ExecutionRetention = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var error = FluentActions.Invoking(() => services.GetRequiredService<IOptions<MySqlStoreOptions>>().Value).Should().Throw<OptionsValidationException>().Which;
        error.Message.Should().Contain("Replication:Scheduler:MySql:ExecutionRetention must be between 1.00:00:00 and 3650.00:00:00; was " + value);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("1.00:00:00")]
    [InlineData("90.00:00:00")]
    public void ExecutionRetention_ZeroOrInRange_IsAccepted(string value)
    {
        using var services = MySqlStack.Services("Server=127.0.0.1;Database=oma", configure: o => o.ExecutionRetention = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        services.GetRequiredService<IOptions<MySqlStoreOptions>>().Value.ExecutionRetention.Should().Be(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        new MySqlStoreOptions().ExecutionRetention.Should().Be(TimeSpan.FromDays(90), "the documented default");
    }

    [Theory]
    [InlineData("30.00:00:00", 30)]
    [InlineData("0", 0)]
    public void ExecutionRetention_BindsFromTheDocumentedKey(string value, int days)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Replication:Scheduler:MySql:ConnectionString"] = "Server=127.0.0.1;Database=oma",
                ["Replication:Scheduler:MySql:ExecutionRetention"] = value,
            }).Build());
        services.AddLogging();
        services.AddReplicationScheduling().UseMySqlStores();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<MySqlStoreOptions>>().Value.ExecutionRetention.Should().Be(TimeSpan.FromDays(days));
    }

    /// <summary>
    /// s1: two old finished (deleted), one running since long ago, one recent. s2: one old finished, its newest (kept).
    /// s3: one old scheduled (deleted) and a newer old manual run (kept, the newest); so s3's only claim is trimmed.
    /// </summary>
    private async Task SeedAsync()
    {
        await FinishedAsync("s1-old1", "s1", At, completedAt: At.AddMinutes(5));
        await FinishedAsync("s1-old2", "s1", At.AddDays(1), completedAt: At.AddDays(1).AddMinutes(5), status: ExecutionStatus.Failed);
        (await Executions.TryCreateAsync(Execution("s1-running", "s1", At.AddDays(2)))).Should().BeTrue();
        await FinishedAsync("s1-recent", "s1", At.AddDays(95), completedAt: At.AddDays(95).AddMinutes(5));
        await FinishedAsync("s2-only", "s2", At, completedAt: At.AddMinutes(5));
        await FinishedAsync("s3-old", "s3", At, completedAt: At.AddMinutes(5), status: ExecutionStatus.Skipped);
        await FinishedAsync("s3-manual", "s3", At.AddDays(1), completedAt: At.AddDays(1).AddMinutes(5), trigger: TriggerKind.Manual);
    }

    private async Task FinishedAsync(string id, string scheduleId, DateTimeOffset scheduledFor, DateTimeOffset completedAt,
        ExecutionStatus status = ExecutionStatus.Completed, TriggerKind trigger = TriggerKind.Scheduled)
    {
        var execution = Execution(id, scheduleId, scheduledFor) with { TriggerKind = trigger };
        (await Executions.TryCreateAsync(execution)).Should().BeTrue();
        await Executions.UpdateAsync(execution with
        {
            Status = status,
            CompletedAt = completedAt,
            VmOutcomes = [.. execution.VmOutcomes.Select(o => o with { Kind = VmOutcomeKind.JobCompleted, JobId = $"job-{id}-{o.ContextId}" })],
        });
    }

    private static ScheduleExecution Execution(string id, string scheduleId, DateTimeOffset scheduledFor) => new()
    {
        Id = id,
        ScheduleId = scheduleId,
        ScheduledFor = scheduledFor,
        TriggerKind = TriggerKind.Scheduled,
        TriggeredBy = "scheduler",
        StartedAt = scheduledFor.AddSeconds(1),
        InstanceId = "engine-a",
        VmOutcomes =
        [
            new VmOutcome { ContextId = "ctx-a", VmName = "a", GroupId = "g1", Kind = VmOutcomeKind.Pending },
            new VmOutcome { ContextId = "ctx-b", VmName = "b", GroupId = "g1", Kind = VmOutcomeKind.Pending },
        ],
    };

    private async Task<List<string>> Ids(string sql) => [.. (await _db.QueryAsync($"{sql} ORDER BY 1")).Select(r => (string)r["id"]!)];
}
