using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>The appliance's own tables, read and written as the OMA and its views use them.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class ApplianceTableTests(MariaDbServer server) : MigratedDatabaseTests(server)
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private IScheduleStore Schedules => Services.GetRequiredService<IScheduleStore>();

    private IExecutionStore Executions => Services.GetRequiredService<IExecutionStore>();

    [SkippableFact]
    public async Task Schedule_CreatedWithTheAppliancesDefaults_ReadsAsTheSdkDefaults()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("nightly", "0 0 2 * * *");

        var schedule = (await Schedules.GetSchedulesAsync()).Single();

        schedule.Should().BeEquivalentTo(new ReplicationSchedule { Id = "nightly", Name = "nightly", CronExpression = "0 0 2 * * *" });
        (await Schedules.GetScheduleAsync("nightly")).Should().BeEquivalentTo(schedule);
        (await Schedules.GetScheduleAsync("missing")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Schedule_Columns_AndSdkSettings_AreMapped()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "*/15 * * * *",
            ("timezone", "Europe/London"), ("replication_type", "full"), ("max_concurrent_jobs", 4), ("retry_attempts", 0), ("retry_delay_minutes", 2),
            ("enabled", false), ("skip_if_running", false), ("description", "weekday runs"));
        await Db.ExecuteAsync(
            "INSERT INTO rsdk_schedule_settings (schedule_id, misfire_policy, starting_deadline_seconds, rpo_target_seconds, ossea_config_id, target_network, spread_seconds) VALUES ('s1', 'Skip', 600, 86400, 9, 'dr-net', 1800)");
        await Db.AddScheduleAsync("chained", "0 3 * * *", ("schedule_type", "chain"));

        var schedules = await Schedules.GetSchedulesAsync();

        schedules.Should().ContainSingle("a chain schedule is not runnable by the SDK and is left out with a warning").Which.Should().BeEquivalentTo(new ReplicationSchedule
        {
            Id = "s1", Name = "s1", CronExpression = "*/15 * * * *", TimeZone = "Europe/London", ReplicationType = ReplicationType.Full, MaxConcurrentJobs = 4,
            RetryAttempts = 0, RetryDelay = TimeSpan.FromMinutes(2), Enabled = false, OverlapPolicy = OverlapPolicy.AllowAll, MisfirePolicy = MisfirePolicy.Skip,
            StartingDeadline = TimeSpan.FromMinutes(10), RpoTarget = TimeSpan.FromDays(1), OsseaConfigId = 9, TargetNetwork = "dr-net",
            Spread = TimeSpan.FromMinutes(30),
        });
    }

    [SkippableFact]
    public async Task OverlapPolicy_FollowsSkipIfRunning_UnlessTheSdkColumnSetsIt_AndAnInvalidValueLeavesTheScheduleOut()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("skip", "0 2 * * *", ("skip_if_running", true));
        await Db.AddScheduleAsync("allow", "0 2 * * *", ("skip_if_running", false));
        await Db.AddScheduleAsync("buffer", "0 2 * * *", ("skip_if_running", true));
        await Db.AddScheduleAsync("cancel", "0 2 * * *", ("skip_if_running", false));
        await Db.AddScheduleAsync("bad", "0 2 * * *");
        await Db.AddScheduleAsync("number", "0 2 * * *");
        await Db.ExecuteAsync(
            "INSERT INTO rsdk_schedule_settings (schedule_id, overlap_policy) VALUES ('buffer', 'BufferOne'), ('cancel', 'cancelother'), ('bad', 'Sometimes'), ('number', '2'), ('allow', NULL)");
        var store = Services.GetRequiredService<MySqlScheduleStore>();
        var token = store.GetChangeToken();

        var schedules = (await store.GetSchedulesAsync()).ToDictionary(s => s.Id, s => s.OverlapPolicy);

        schedules.Should().BeEquivalentTo(new Dictionary<string, OverlapPolicy>
        {
            ["skip"] = OverlapPolicy.Skip, ["allow"] = OverlapPolicy.AllowAll, ["buffer"] = OverlapPolicy.BufferOne, ["cancel"] = OverlapPolicy.CancelOther,
        }, "an invalid value (a name not in the list, or a number) is refused, like the other settings");
        await store.PollAsync();
        token.HasChanged.Should().BeFalse();
        await Db.ExecuteAsync("UPDATE rsdk_schedule_settings SET overlap_policy = 'Skip' WHERE schedule_id = 'cancel'");
        await store.PollAsync();
        token.HasChanged.Should().BeTrue("the column is part of the change fingerprint");
        (await store.GetScheduleAsync("cancel"))!.OverlapPolicy.Should().Be(OverlapPolicy.Skip);
    }

    [SkippableFact]
    public async Task ScheduleKind_Rpo_IsReadWithoutItsCron_CronStaysTheDefault_AndAnInvalidKindLeavesTheScheduleOut()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("rpo", "0 * * * *");
        await Db.AddScheduleAsync("cron", "0 2 * * *");
        await Db.AddScheduleAsync("named-cron", "0 3 * * *");
        await Db.AddScheduleAsync("bad", "0 2 * * *");
        await Db.AddScheduleAsync("number", "0 2 * * *");
        await Db.ExecuteAsync(
            "INSERT INTO rsdk_schedule_settings (schedule_id, schedule_kind, rpo_target_seconds) VALUES ('rpo', 'rpo', 14400), ('named-cron', 'Cron', NULL), ('bad', 'Sometimes', 3600), ('number', '1', 3600)");
        var store = Services.GetRequiredService<MySqlScheduleStore>();
        var token = store.GetChangeToken();

        var schedules = (await store.GetSchedulesAsync()).ToDictionary(s => s.Id);

        schedules.Keys.Should().BeEquivalentTo(["rpo", "cron", "named-cron"], "an invalid kind (a name not in the list, or a number) is refused");
        schedules["rpo"].Should().Match<ReplicationSchedule>(s => s.Kind == ScheduleKind.Rpo && s.CronExpression == "" && s.RpoTarget == TimeSpan.FromHours(4));
        schedules["cron"].Should().Match<ReplicationSchedule>(s => s.Kind == ScheduleKind.Cron && s.CronExpression == "0 2 * * *");
        schedules["named-cron"].Kind.Should().Be(ScheduleKind.Cron);
        ScheduleValidator.Validate(schedules["rpo"], null).Should().BeEmpty();
        await store.PollAsync();
        token.HasChanged.Should().BeFalse();
        await Db.ExecuteAsync("UPDATE rsdk_schedule_settings SET schedule_kind = NULL WHERE schedule_id = 'rpo'");
        await store.PollAsync();
        token.HasChanged.Should().BeTrue("the column is part of the change fingerprint");
        (await store.GetScheduleAsync("rpo"))!.Should().Match<ReplicationSchedule>(s => s.Kind == ScheduleKind.Cron && s.CronExpression == "0 * * * *");
    }

    [SkippableFact]
    public async Task Groups_Memberships_AndContexts_AreReadAsTheApplianceStoresThem()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddGroupAsync("g-db", "s1", ("priority", 1), ("max_concurrent_vms", 2));
        await Db.AddGroupAsync("g-web", "s1");
        await Db.AddGroupAsync("g-other", null);
        await Db.AddContextAsync("ctx-web1", "web1", ("cpu_count", 4), ("memory_mb", 8192), ("os_type", "windows9Server64Guest"), ("power_state", "poweredOn"), ("ossea_config_id", 3));
        await Db.AddContextAsync("ctx-db1", "db1", ("scheduler_enabled", false), ("current_status", "failed_over_test"));
        await Db.AddMembershipAsync("g-web", "ctx-web1", ("priority", 2), ("added_at", new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
        await Db.AddMembershipAsync("g-db", "ctx-db1", ("enabled", false));
        await Db.AddMembershipAsync("g-db", "ctx-web1");

        var groups = await Schedules.GetGroupsAsync("s1");
        var memberships = await Schedules.GetMembershipsAsync(["g-web", "g-db"]);
        var contexts = await Schedules.GetVmContextsAsync(["ctx-web1", "ctx-db1", "ctx-missing"]);

        groups.Should().BeEquivalentTo(
        [
            new MachineGroup { Id = "g-web", Name = "g-web", ScheduleId = "s1" },
            new MachineGroup { Id = "g-db", Name = "g-db", ScheduleId = "s1", Priority = 1, MaxConcurrentVms = 2 },
        ]);
        memberships.Should().HaveCount(3);
        memberships.Single(m => m.GroupId == "g-web").Should().BeEquivalentTo(new GroupMembership
        {
            GroupId = "g-web", VmContextId = "ctx-web1", Priority = 2, AddedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        });
        memberships.Single(m => m.VmContextId == "ctx-db1").Enabled.Should().BeFalse();
        contexts.Should().HaveCount(2);
        contexts.Single(c => c.ContextId == "ctx-db1").Should().Match<ScheduledVm>(c => !c.SchedulerEnabled && c.CurrentStatus == "failed_over_test");
        contexts.Single(c => c.ContextId == "ctx-web1").Should().BeEquivalentTo(new ScheduledVm
        {
            ContextId = "ctx-web1", VmName = "web1", VmwareVmId = "vm-web1", VmPath = "/DC1/vm/web1", VCenterHost = "vcenter.example.local", Datacenter = "DC1",
            OsseaConfigId = 3,
            LastKnownSpec = new VmSpecSnapshot { VmwareVmId = "vm-web1", Path = "/DC1/vm/web1", CpuCount = 4, MemoryMb = 8192, OsType = "windows9Server64Guest", PowerState = "poweredOn" },
        });
        (await Schedules.GetVmContextsAsync([])).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData(ExecutionStatus.Running, "running")]
    [InlineData(ExecutionStatus.Completed, "completed")]
    [InlineData(ExecutionStatus.CompletedWithErrors, "completed")]
    [InlineData(ExecutionStatus.Failed, "failed")]
    [InlineData(ExecutionStatus.Interrupted, "failed")]
    [InlineData(ExecutionStatus.Skipped, "skipped")]
    [InlineData(ExecutionStatus.Missed, "skipped")]
    [InlineData(ExecutionStatus.Cancelled, "cancelled")]
    public async Task ExecutionRow_UsesTheAppliancesStatusEnum_AndCounters(ExecutionStatus status, string applianceStatus)
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddContextAsync("ctx-a", "a");
        var execution = new ScheduleExecution
        {
            Id = "e1", ScheduleId = "s1", ScheduledFor = At, TriggerKind = TriggerKind.Scheduled, TriggeredBy = "scheduler", StartedAt = At.AddSeconds(1), InstanceId = "engine-a",
            VmOutcomes =
            [
                new VmOutcome { ContextId = "ctx-a", VmName = "a", GroupId = "g1", Kind = VmOutcomeKind.JobCompleted, JobId = "job-a" },
                new VmOutcome { ContextId = "ctx-b", VmName = "b", GroupId = "g1", Kind = VmOutcomeKind.JobFailed, JobId = "job-b" },
                new VmOutcome { ContextId = "ctx-c", VmName = "c", GroupId = "g1", Kind = VmOutcomeKind.CreateFailed, Reason = "400" },
                new VmOutcome { ContextId = "ctx-d", VmName = "d", GroupId = "g1", Kind = VmOutcomeKind.Skipped, SkipReason = SkipReason.ActiveJob },
            ],
        };
        await Executions.TryCreateAsync(execution);
        await Executions.UpdateAsync(execution with { Status = status, CompletedAt = status == ExecutionStatus.Running ? null : At.AddMinutes(10), Reason = "why" });

        var row = (await Db.QueryAsync("SELECT * FROM schedule_executions WHERE id = 'e1'")).Single();

        row["status"].Should().Be(applianceStatus);
        (row["schedule_id"], row["group_id"], row["triggered_by"]).Should().Be(("s1", "g1", "scheduler"));
        ((int)row["vms_eligible"]!, (int)row["jobs_created"]!, (int)row["jobs_completed"]!, (int)row["jobs_failed"]!, (int)row["jobs_skipped"]!).Should().Be((3, 2, 1, 2, 1));
        row["scheduled_at"].Should().Be(At.UtcDateTime);
        row["execution_duration_seconds"].Should().Be(status == ExecutionStatus.Running ? null : 599);
        using var details = JsonDocument.Parse((string)row["execution_details"]!);
        var root = details.RootElement;
        root.GetProperty("status").GetString().Should().Be(applianceStatus);
        root.GetProperty("sdk_status").GetString().Should().Be(status.ToString());
        root.GetProperty("trigger_kind").GetString().Should().Be("scheduled");
        root.GetProperty("created_job_ids").EnumerateArray().Select(e => e.GetString()).Should().Equal("job-a", "job-b");
        root.GetProperty("vm_outcomes").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).Should().Equal("job_completed", "job_failed", "create_failed", "skipped");
        root.GetProperty("vm_outcomes")[3].GetProperty("skip_reason").GetString().Should().Be("active_job");
        (await Db.QueryAsync("SELECT last_scheduled_job_id FROM vm_replication_contexts WHERE context_id = 'ctx-a'")).Single()["last_scheduled_job_id"].Should().Be("job-a");

        // A summary query of the kind the appliance's views run over the table.
        var summary = (await Db.QueryAsync("SELECT status, COUNT(*) AS runs, SUM(jobs_created) AS created FROM schedule_executions GROUP BY status")).Single();
        (summary["status"], Convert.ToInt64(summary["runs"]), Convert.ToInt64(summary["created"])).Should().Be((applianceStatus, 1L, 2L));
    }

    [SkippableFact]
    public async Task SqlInjection_ThroughNamesAndReasons_IsStoredAsText()
    {
        Server.RequireServer();
        const string Evil = "x'; DROP TABLE replication_schedules; -- \\' OR 1=1 #";
        await Db.AddScheduleAsync(Evil, "0 2 * * *");
        var execution = new ScheduleExecution
        {
            Id = "e1", ScheduleId = Evil, ScheduledFor = At, TriggerKind = TriggerKind.Manual, TriggeredBy = Evil, StartedAt = At, Reason = Evil, Error = Evil, InstanceId = Evil,
            VmOutcomes = [new VmOutcome { ContextId = Evil, VmName = Evil, GroupId = Evil, Kind = VmOutcomeKind.CreateFailed, Reason = Evil, JobId = Evil }],
        };

        (await Executions.TryCreateAsync(execution)).Should().BeTrue();
        await Executions.UpdateAsync(execution with { Status = ExecutionStatus.Failed, CompletedAt = At.AddSeconds(1) });
        var evilLease = (await Services.GetRequiredService<IInstanceLeaseStore>().TryAcquireAsync(Evil, At.AddMinutes(-1), At)).Lease!;
        var me = (await Services.GetRequiredService<IInstanceLeaseStore>().TryAcquireAsync("me", At, At.AddHours(1))).Lease!;

        (await Executions.GetAsync("e1")).Should().BeEquivalentTo(execution with { Status = ExecutionStatus.Failed, CompletedAt = At.AddSeconds(1) });
        (await Executions.ListAsync(Evil, 10)).Should().ContainSingle();
        (await Schedules.GetScheduleAsync(Evil))!.Name.Should().Be(Evil);
        (await Schedules.GetVmContextsAsync([Evil])).Should().BeEmpty();
        (await Services.GetRequiredService<IInstanceLeaseStore>().ClaimExpiredAsync(me, At.AddSeconds(1))).Should().Equal(evilLease);
        (await Db.CountAsync("SELECT COUNT(*) FROM replication_schedules")).Should().Be(1, "the table is still there, with its one row");
    }

    [SkippableFact]
    public async Task Migrations_AreIdempotent_AndTheDbaScriptIsEquivalent()
    {
        Server.RequireServer();
        (await MySqlMigrations.ApplyAsync(Db.ConnectionString)).Should().Be(MySqlMigrations.CurrentVersion);
        (await MySqlMigrations.ApplyAsync(Db.ConnectionString)).Should().Be(MySqlMigrations.CurrentVersion);
        var tables = await SdkTablesAsync(Db);

        var scripted = new ApplianceDatabase(await Server.CreateApplianceDatabaseAsync());
        for (var i = 0; i < 2; i++)
        {
            await scripted.ExecuteAsync(MySqlMigrations.GetScript());
        }

        tables.Should().Contain(["rsdk_executions#ix_rsdk_executions_finished:1:status", "rsdk_executions#ix_rsdk_executions_finished:2:completed_at"]);
        tables.Should().Contain(c => c.StartsWith("rsdk_occurrence_watermarks.", StringComparison.Ordinal));
        (await SdkTablesAsync(scripted)).Should().Equal(tables);
        await using var dbaManaged = MySqlStack.Services(scripted.ConnectionString, configure: o => o.ApplyMigrationsOnStart = false);
        (await dbaManaged.GetRequiredService<IExecutionStore>().GetRunningAsync()).Should().BeEmpty("the script leaves the schema at the current version");
        // Versions are numbered by feature and may have gaps on a branch: the script records the same versions the applier does.
        (await scripted.CountAsync("SELECT MAX(version) FROM rsdk_schema_version")).Should().Be(MySqlMigrations.CurrentVersion);
        (await scripted.CountAsync("SELECT COUNT(*) FROM rsdk_schema_version")).Should().Be(await Db.CountAsync("SELECT COUNT(*) FROM rsdk_schema_version"));
    }

    [SkippableFact]
    public async Task MissingSdkTables_WithoutMigrateOnStart_IsAClearTypedError()
    {
        Server.RequireServer();
        var bare = await Server.CreateApplianceDatabaseAsync();
        await using var services = MySqlStack.Services(bare, configure: o => o.ApplyMigrationsOnStart = false);

        var error = await FluentActions.Awaiting(() => services.GetRequiredService<IExecutionStore>().GetRunningAsync())
            .Should().ThrowAsync<MySqlSchemaException>();
        error.Which.Message.Should().Contain("version 0").And.Contain("Replication:Scheduler:MySql:ApplyMigrationsOnStart");
        (error.Which.FoundVersion, error.Which.RequiredVersion).Should().Be((0, MySqlMigrations.CurrentVersion));
    }

    [SkippableFact]
    public async Task HostStart_WrongSchemaStopsTheHost_ButAnUnreachableDatabaseDoesNot()
    {
        Server.RequireServer();
        var bare = await Server.CreateApplianceDatabaseAsync();
        using (var host = MySqlStack.Host(bare, applyMigrations: false))
        {
            await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<MySqlSchemaException>();
        }

        var nowhere = new MySqlConnectionStringBuilder(bare) { Port = 1, ConnectionTimeout = 2 }.ConnectionString;
        using (var host = MySqlStack.Host(nowhere, applyMigrations: true))
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        using (var host = MySqlStack.Host(bare, applyMigrations: true))
        {
            await host.StartAsync();
            (await new ApplianceDatabase(bare).CountAsync("SELECT MAX(version) FROM rsdk_schema_version")).Should().Be(MySqlMigrations.CurrentVersion, "the schema is ready before the scheduler starts");
            await host.StopAsync();
        }
    }

    [SkippableFact]
    public async Task EditingAScheduleRow_FiresTheChangeToken()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        var store = Services.GetRequiredService<MySqlScheduleStore>();
        var token = store.GetChangeToken();
        await store.GetSchedulesAsync();
        await store.PollAsync();
        token.HasChanged.Should().BeFalse("nothing changed since the scheduler read the schedules");

        await Db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '*/5 * * * *' WHERE id = 's1'");
        await store.PollAsync();

        token.HasChanged.Should().BeTrue();
        var next = store.GetChangeToken();
        await store.PollAsync();
        next.HasChanged.Should().BeFalse("a new token waits for the next edit");
        await Db.ExecuteAsync("DELETE FROM replication_schedules WHERE id = 's1'");
        await store.PollAsync();
        next.HasChanged.Should().BeTrue("a removed schedule is an edit too");
    }

    [Theory]
    [InlineData(null, "Replication:Scheduler:MySql:ConnectionString is required (or register a MySqlDataSource")]
    [InlineData("Server=127.0.0.1;User ID=app;Password=hunter2", "Replication:Scheduler:MySql:ConnectionString must name a database")]
    [InlineData("Server=127.0.0.1;Database=oma;NoSuchKeyword=1;Password=hunter2", "Replication:Scheduler:MySql:ConnectionString is not a valid MySQL connection string")]
    public void InvalidConnectionString_IsRejectedNamingTheSetting_WithoutEchoingThePassword(string? connectionString, string expected)
    {
        using var services = MySqlStack.Services(connectionString!);

        var error = FluentActions.Invoking(() => services.GetRequiredService<IOptions<MySqlStoreOptions>>().Value).Should().Throw<OptionsValidationException>().Which;
        error.Message.Should().Contain(expected).And.NotContain("hunter2");
    }

    /// <summary>The SDK tables' columns and indexes (with their column order), so a missing index fails the comparison too.</summary>
    private static async Task<List<string>> SdkTablesAsync(ApplianceDatabase db) =>
        [.. (await db.QueryAsync(
            "SELECT CONCAT(table_name, '.', column_name, ':', column_type) AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name LIKE 'rsdk\\_%' ORDER BY table_name, ordinal_position"))
            .Select(r => (string)r["c"]!),
        .. (await db.QueryAsync(
            "SELECT CONCAT(table_name, '#', index_name, ':', seq_in_index, ':', column_name) AS c FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name LIKE 'rsdk\\_%' ORDER BY table_name, index_name, seq_in_index"))
            .Select(r => (string)r["c"]!)];
}
