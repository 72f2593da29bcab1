using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// The schedule store's change poll at thousands of schedules: what a poll costs, counted by the server under a user only
/// this test uses (statements, rows sent), and that every kind of edit is found and named, deletions included.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ScheduleChangePollTests(MariaDbServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Count = 5_000;
    private ServiceProvider? _services;
    private ApplianceDatabase _db = null!;
    private string _user = null!;

    private MySqlScheduleStore Store => _services!.GetRequiredService<MySqlScheduleStore>();

    public async Task InitializeAsync()
    {
        if (server.Unavailable is not null && !MariaDbServer.InCi)
        {
            return;
        }

        _db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());

        // Edited over the last days, s1 most recently (MariaDB's SEQUENCE engine numbers the rows).
        await _db.ExecuteAsync(
            $"INSERT INTO replication_schedules (id, name, cron_expression, updated_at) SELECT CONCAT('s', seq), CONCAT('s', seq), '0 0 2 * * *', NOW(3) - INTERVAL seq MINUTE FROM seq_1_to_{Count}");
        (string counted, _user) = await server.CreateCountedUserAsync(new MySqlConnectionStringBuilder(_db.ConnectionString).Database);
        _services = MySqlStack.Services(counted);
        await MySqlMigrations.ApplyAsync(_db.ConnectionString);
        await _db.ExecuteAsync($"INSERT INTO rsdk_schedule_settings (schedule_id, rpo_target_seconds, updated_at) SELECT CONCAT('s', seq), 3600, NOW(6) - INTERVAL seq HOUR FROM seq_1_to_{Count / 10}");
        await _db.ExecuteAsync("INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc, updated_at) VALUES ('s7', '2025-06-01', '2025-06-02', NOW(6) - INTERVAL 1 DAY), ('s7', '2025-07-01', '2025-07-02', NOW(6) - INTERVAL 1 DAY)");
        (await Store.GetSchedulesAsync()).Should().HaveCount(Count);
        await Store.PollAsync(); // the first poll moves the late-commit cutoff from "ever" to shortly before the newest edit
    }

    public Task DisposeAsync() => _services is null ? Task.CompletedTask : _services.DisposeAsync().AsTask();

    [SkippableFact]
    public async Task QuietPoll_IsOneStatement_AndOneRowBack_WhateverTheScheduleCount()
    {
        server.RequireServer();
        var token = Store.GetChangeToken();

        var cost = await CostAsync(() => Store.PollAsync());

        output.WriteLine($"quiet poll at {Count} schedules: {cost}");
        (cost.Statements, cost.RowsSent).Should().Be((1, 1), "nothing changed: the markers alone are read");
        token.HasChanged.Should().BeFalse();
    }

    [SkippableFact]
    public async Task EditOfOneRow_IsReadAlone_AndTheTokenNamesIt()
    {
        server.RequireServer();
        var token = (ScheduleChangeToken)Store.GetChangeToken();

        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 */5 * * * *' WHERE id = 's42'");
        var cost = await CostAsync(() => Store.PollAsync());

        output.WriteLine($"poll after one edit at {Count} schedules: {cost}");
        token.ChangedScheduleIds.Should().Equal("s42");
        cost.Statements.Should().Be(4, "markers, the changed ids, the changed row by key, its blackouts");
        cost.RowsSent.Should().Be(3, "the markers' row, the changed id and the changed row (it has no blackouts)");
        (await Store.GetScheduleAsync("s42"))!.CronExpression.Should().Be("0 */5 * * * *");
    }

    [SkippableFact]
    public async Task Deletions_OfAScheduleASettingsRowAndABlackout_AreFoundByTheirCounts_AndNamed()
    {
        server.RequireServer();
        var edits = new (string Sql, string Id)[]
        {
            ("DELETE FROM replication_schedules WHERE id = 's4999'", "s4999"),
            ("DELETE FROM rsdk_schedule_settings WHERE schedule_id = 's3'", "s3"),
            ("DELETE FROM rsdk_blackouts WHERE schedule_id = 's7' AND from_utc = '2025-06-01'", "s7"),
        };

        foreach (var (sql, id) in edits)
        {
            var token = (ScheduleChangeToken)Store.GetChangeToken();
            await _db.ExecuteAsync(sql);
            var cost = await CostAsync(() => Store.PollAsync());
            output.WriteLine($"{sql}: {cost}");
            token.ChangedScheduleIds.Should().Equal([id], sql);
            cost.Statements.Should().BeLessThanOrEqualTo(5, "markers, the recent ids, one key-only read of the table, the row and its blackouts");
        }

        (await Store.GetScheduleAsync("s4999")).Should().BeNull();
        (await Store.GetScheduleAsync("s3"))!.RpoTarget.Should().BeNull();
        (await Store.GetScheduleAsync("s7"))!.Blackouts.Should().ContainSingle();
    }

    [SkippableFact]
    public async Task InsertsAndSettingsEdits_AreNamed_WithoutAKeyScan()
    {
        server.RequireServer();
        var token = (ScheduleChangeToken)Store.GetChangeToken();

        await _db.AddScheduleAsync("new", "0 0 3 * * *");
        await _db.ExecuteAsync("INSERT INTO rsdk_schedule_settings (schedule_id, misfire_policy) VALUES ('s900', 'Skip')");
        await _db.ExecuteAsync("UPDATE rsdk_schedule_settings SET rpo_target_seconds = 60 WHERE schedule_id = 's5'");
        await _db.ExecuteAsync("INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc) VALUES ('s8', '2025-06-01', '2025-06-02')");
        var cost = await CostAsync(() => Store.PollAsync());

        token.ChangedScheduleIds.Should().BeEquivalentTo(["new", "s900", "s5", "s8"]);
        cost.Statements.Should().Be(4, "markers, ids, rows, blackouts: the counts are explained by the rows read, so no key-only read");
        cost.RowsSent.Should().Be(1 + 4 + 4 + 1);
    }

    [SkippableFact]
    public async Task LateCommit_WithAnOlderUpdatedAtThanOneSeen_IsFoundByTheChecksum_WithinTheWindow()
    {
        server.RequireServer();
        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 0 4 * * *', updated_at = NOW(3) - INTERVAL 30 SECOND WHERE id = 's10'");
        await Store.PollAsync();
        var token = (ScheduleChangeToken)Store.GetChangeToken();

        // A transaction that stamped its row before s10's edit commits only now: the newest updated_at does not move.
        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 0 5 * * *', updated_at = NOW(3) - INTERVAL 60 SECOND WHERE id = 's11'");
        await Store.PollAsync();

        token.ChangedScheduleIds.Should().Equal("s11");
    }

    [SkippableFact]
    public async Task EditInTheSameTickAsTheLastOne_IsFound_WhileThatEditIsHot()
    {
        server.RequireServer();
        // A column of whole seconds: both edits carry the same updated_at (a future one here, so the test is not racing the clock).
        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 0 4 * * *', updated_at = NOW() + INTERVAL 30 SECOND WHERE id = 's20'");
        await Store.PollAsync();
        var token = (ScheduleChangeToken)Store.GetChangeToken();

        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 0 6 * * *', updated_at = (SELECT updated_at FROM (SELECT updated_at FROM replication_schedules WHERE id = 's20') t) WHERE id = 's20'");
        await Store.PollAsync();

        token.ChangedScheduleIds.Should().Equal("s20");
    }

    [SkippableFact]
    public async Task EditThatSetsUpdatedAtBack_IsMissedByThePoll_AndFoundByTheReconcile()
    {
        server.RequireServer();
        var token = (ScheduleChangeToken)Store.GetChangeToken();
        await _db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 0 7 * * *', updated_at = updated_at WHERE id = 's30'");

        await Store.PollAsync();
        token.HasChanged.Should().BeFalse("documented limitation: the poll trusts updated_at");
        await Store.GetSchedulesAsync(); // the reconcile (every ChangeReconcileInterval), or any full read

        token.ChangedScheduleIds.Should().Equal("s30");
    }

    private async Task<UserStatistics> CostAsync(Func<Task> act)
    {
        var before = await server.UserStatisticsAsync(_user);
        await act();
        return await server.UserStatisticsAsync(_user) - before;
    }
}
