using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>
/// Issue 19's scale figures, each printed as it is measured (wall-clock runs, not BenchmarkDotNet: one long operation each).
/// <c>--scale</c> (about a minute): 50,000 schedules planned by a running engine and an edit of one; the MariaDB store's
/// full read, quiet poll and edited poll at 50,000 rows beside the previous release's fingerprint poll; the cost of one
/// claim and claims per second of one instance. <c>--scale-cluster</c> (5 minutes, <c>--scale-duration=SECONDS</c> to
/// change it): three instances on one MariaDB at 50 occurrences per second: start lag and duplicate claims.
/// </summary>
internal static class ScaleRun
{
    private const int Schedules = 50_000;

    /// <summary>The previous release's change poll: one aggregate over every schedule row, with its settings and blackouts.</summary>
    private const string PreviousFingerprintSql =
        """
        SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', s.id, s.cron_expression, s.timezone, s.enabled, s.replication_type, s.max_concurrent_jobs,
               s.retry_attempts, s.retry_delay_minutes, s.skip_if_running, s.schedule_type, s.updated_at,
               x.misfire_policy, x.starting_deadline_seconds, x.rpo_target_seconds, x.ossea_config_id, x.target_network, x.spread_seconds,
               x.window_text, x.outside_window_policy, x.overlap_policy))), 0)
               + (SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', b.schedule_id, b.from_utc, b.to_utc, b.reason))), 0) FROM rsdk_blackouts b),
               (SELECT COUNT(*) FROM rsdk_blackouts)
        FROM replication_schedules s LEFT JOIN rsdk_schedule_settings x ON x.schedule_id = s.id
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Console.WriteLine($"Scale run on {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}; load average {LoadAverage()}");
        var seconds = args.Select(a => a.StartsWith("--scale-duration=", StringComparison.Ordinal) ? int.Parse(a["--scale-duration=".Length..], CultureInfo.InvariantCulture) : 0).Max();
        if (args.Contains("--scale-cluster"))
        {
            await ClusterAsync(TimeSpan.FromSeconds(seconds > 0 ? seconds : 300));
            return 0;
        }

        if (args.Contains("--bulk"))
        {
            await BulkScaleRun.RunAsync();
            return 0;
        }

        if (args.Contains("--punctuality-vms"))
        {
            await PunctualityRun.RunVmsAsync(TimeSpan.FromSeconds(seconds > 0 ? seconds : 60));
            return 0;
        }

        if (args.Contains("--poll"))
        {
            var jobs = args.Select(a => a.StartsWith("--poll-jobs=", StringComparison.Ordinal) ? int.Parse(a["--poll-jobs=".Length..], CultureInfo.InvariantCulture) : -1).Max();
            await PollRun.RunAsync(jobs >= 0 ? jobs : 10_000);
            return 0;
        }

        if (args.Contains("--punctuality"))
        {
            await PunctualityRun.RunAsync(TimeSpan.FromSeconds(seconds > 0 ? seconds : 60));
            await PunctualityRun.RunVmsAsync(TimeSpan.FromSeconds(seconds > 0 ? seconds : 60));
            return 0;
        }

        await EnginePlanAsync();
        await using var db = await ThrowawayMariaDb.StartAsync();
        await MySqlScheduleStoreAsync(db);
        await ClaimsAsync(db);
        return 0;
    }

    /// <summary>A running engine over 50,000 in-memory schedules: start to first plan, then an edit of one schedule.</summary>
    private static async Task EnginePlanAsync()
    {
        await using var services = Services(null, "engine-plan");
        var store = services.GetRequiredService<InMemoryScheduleStore>();
        string[] zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
        for (var i = 0; i < Schedules; i++)
        {
            store.Upsert(new ReplicationSchedule { Id = $"s{i}", Name = $"s{i}", CronExpression = $"{i % 60} {i / 60 % 60} {i / 3600 % 24} * * *", TimeZone = zones[i % zones.Length] });
        }

        var engine = services.GetRequiredService<ReplicationScheduler>();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await engine.StartAsync(CancellationToken.None);
        while (engine.PlannedCount < Schedules)
        {
            await Task.Delay(1);
        }

        var firstPlan = clock.Elapsed;
        var firstPlanCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var firstPlanBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine($"engine: start to first plan of {Schedules:N0} schedules: {firstPlan.TotalMilliseconds:F0} ms wall, {firstPlanCpu.TotalMilliseconds:F0} ms CPU (all threads, GC included), "
            + $"{firstPlanBytes / (double)Schedules:F0} B allocated per schedule (target <= 1 s)");

        var before = engine.Replanned;
        var previous = engine.NextFireTime("s1234");
        clock.Restart();
        store.Upsert(new ReplicationSchedule { Id = "s1234", Name = "s1234", CronExpression = "*/7 * * * * *" });
        while (engine.NextFireTime("s1234") == previous)
        {
            await Task.Delay(1);
        }

        Console.WriteLine($"engine: edit of one schedule re-planned {engine.Replanned - before} schedule(s) in {clock.Elapsed.TotalMilliseconds:F1} ms (store change to new next fire time)");
        before = engine.Replanned;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        engine.NotifyChanged();
        while (engine.Replanned < before + Schedules)
        {
            await Task.Delay(1);
        }

        Console.WriteLine($"engine: a full re-plan (NotifyChanged, what every edit cost before): {clock.Elapsed.TotalMilliseconds:F0} ms wall, "
            + $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU for {engine.Replanned - before:N0} schedules");
        await engine.StopAsync(CancellationToken.None);
    }

    /// <summary>The MariaDB schedule store at 50,000 rows: what a poll costs the database, now and in the previous release.</summary>
    private static async Task MySqlScheduleStoreAsync(ThrowawayMariaDb db)
    {
        await MySqlMigrations.ApplyAsync(db.ConnectionString);
        var clock = Stopwatch.StartNew();
        await db.ExecuteAsync(
            $"INSERT INTO replication_schedules (id, name, cron_expression, timezone, updated_at) SELECT CONCAT('s', seq), CONCAT('s', seq), CONCAT(seq % 60, ' ', seq DIV 60 % 60, ' 2 * * *'), 'Europe/Berlin', NOW(3) - INTERVAL seq MINUTE FROM seq_1_to_{Schedules}");
        await db.ExecuteAsync($"INSERT INTO rsdk_schedule_settings (schedule_id, rpo_target_seconds, updated_at) SELECT CONCAT('s', seq), 7200, NOW(6) - INTERVAL seq MINUTE FROM seq_1_to_{Schedules / 10}");
        Console.WriteLine($"mariadb: {Schedules:N0} schedule rows and {Schedules / 10:N0} settings rows inserted in {clock.Elapsed.TotalSeconds:F1} s");

        await using var services = Services(db.ConnectionString, "store");
        var store = services.GetRequiredService<MySqlScheduleStore>();
        await store.GetSchedulesAsync(); // schema gate, pool, warm caches
        var (fullRead, fullCost) = await MeasureAsync(db, async () => (await store.GetSchedulesAsync()).Count);
        Console.WriteLine($"mariadb: full read of {Schedules:N0} schedules: {fullRead.TotalMilliseconds:F0} ms; {fullCost}");
        await EngineOnMySqlAsync(db);
        await store.PollAsync();
        await store.PollAsync();

        var quiet = new List<double>();
        (TimeSpan, Counters) quietCost = default;
        for (var i = 0; i < 10; i++)
        {
            quietCost = await MeasureAsync(db, async () => { await store.PollAsync(); return 0; });
            quiet.Add(quietCost.Item1.TotalMilliseconds);
        }

        Console.WriteLine($"mariadb: quiet poll at {Schedules:N0}: median {Median(quiet):F1} ms; {quietCost.Item2}");
        var previous = new List<double>();
        (TimeSpan, Counters) previousCost = default;
        for (var i = 0; i < 10; i++)
        {
            previousCost = await MeasureAsync(db, () => db.ExecuteAsync(PreviousFingerprintSql));
            previous.Add(previousCost.Item1.TotalMilliseconds);
        }

        Console.WriteLine($"mariadb: previous release's poll (fingerprint of every row) at {Schedules:N0}: median {Median(previous):F1} ms; {previousCost.Item2}; and on any edit it read every row again (the full read above)");
        var token = (ScheduleChangeToken)store.GetChangeToken();
        await db.ExecuteAsync("UPDATE replication_schedules SET cron_expression = '0 */5 * * * *' WHERE id = 's4242'");
        var (edited, editCost) = await MeasureAsync(db, async () => { await store.PollAsync(); return 0; });
        Console.WriteLine($"mariadb: poll after an edit of one row: {edited.TotalMilliseconds:F1} ms; {editCost}; token named [{string.Join(", ", token.ChangedScheduleIds ?? [])}]");
        token = (ScheduleChangeToken)store.GetChangeToken();
        await db.ExecuteAsync("DELETE FROM replication_schedules WHERE id = 's4343'");
        var (deleted, deleteCost) = await MeasureAsync(db, async () => { await store.PollAsync(); return 0; });
        Console.WriteLine($"mariadb: poll after a deletion: {deleted.TotalMilliseconds:F1} ms; {deleteCost}; token named [{string.Join(", ", token.ChangedScheduleIds ?? [])}]");
    }

    /// <summary>A running engine over the 50,000 MariaDB schedules: start (lease, recovery, full read, catch-up reads) to first plan.</summary>
    private static async Task EngineOnMySqlAsync(ThrowawayMariaDb db)
    {
        await using var services = Services(db.ConnectionString, "engine-mysql");
        var engine = services.GetRequiredService<ReplicationScheduler>();
        await services.GetRequiredService<MySqlStoreContext>().EnsureSchemaAsync(CancellationToken.None);
        var (elapsed, cost) = await MeasureAsync(db, async () =>
        {
            await engine.StartAsync(CancellationToken.None);
            while (engine.PlannedCount < Schedules)
            {
                await Task.Delay(1);
            }

            return 0;
        });
        Console.WriteLine($"mariadb: engine start to first plan of {Schedules:N0} schedules: {elapsed.TotalMilliseconds:F0} ms; {cost} (target <= 1 s)");
        await engine.StopAsync(CancellationToken.None);
    }

    /// <summary>What one claim costs, and claims per second of one instance with 16 claims in flight.</summary>
    private static async Task ClaimsAsync(ThrowawayMariaDb db)
    {
        await using var services = Services(db.ConnectionString, "claims");
        var executions = services.GetRequiredService<IExecutionStore>();
        var lease = (await services.GetRequiredService<IInstanceLeaseStore>().TryAcquireAsync("claims", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1))).Lease!;
        var at = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ScheduleExecution Claim(int schedule, int second) => new()
        {
            Id = $"c-{schedule}-{second}",
            ScheduleId = $"s{schedule + 2}",
            ScheduledFor = at.AddSeconds(second),
            TriggerKind = TriggerKind.Scheduled,
            TriggeredBy = "scheduler",
            StartedAt = at.AddSeconds(second),
            InstanceId = lease.InstanceId,
            LeaseToken = lease.Token,
        };

        await executions.TryCreateAsync(Claim(-1, 0));
        var (one, oneCost) = await MeasureAsync(db, async () => await executions.TryCreateAsync(Claim(-1, 1)) ? 1 : 0);
        Console.WriteLine($"mariadb: one claim: {one.TotalMilliseconds:F1} ms; {oneCost}");

        const int Workers = 16;
        var duration = TimeSpan.FromSeconds(10);
        var latencies = new List<double>[Workers];
        var before = await CountersAsync(db);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            latencies[w] = [];
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var started = clock.Elapsed;
                await executions.TryCreateAsync(Claim(w, n));
                latencies[w].Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }));
        var claims = latencies.Sum(l => l.Count);
        var cost = await CountersAsync(db) - before;
        var all = latencies.SelectMany(l => l).Order().ToList();
        Console.WriteLine($"mariadb: {claims / clock.Elapsed.TotalSeconds:F0} claims/s on one instance ({Workers} in flight, {clock.Elapsed.TotalSeconds:F0} s; target >= 500); "
            + $"claim latency p50 {Percentile(all, 0.50):F1} ms, p99 {Percentile(all, 0.99):F1} ms; per claim {cost.Statements / (double)claims:F2} statements (server count)");
    }

    /// <summary>Three instances on one MariaDB, 50 schedules due every second (empty groups: the scheduler's own work): lag and duplicates.</summary>
    private static async Task ClusterAsync(TimeSpan duration)
    {
        await using var db = await ThrowawayMariaDb.StartAsync();
        await MySqlMigrations.ApplyAsync(db.ConnectionString);
        await db.ExecuteAsync("INSERT INTO replication_schedules (id, name, cron_expression, max_concurrent_jobs) SELECT CONCAT('p', seq), CONCAT('p', seq), '* * * * * *', 5 FROM seq_1_to_50");
        var nodes = Enumerable.Range(1, 3).Select(i => Services(db.ConnectionString, $"node-{i}")).ToList();
        var hosted = nodes.SelectMany(n => n.GetServices<IHostedService>()).ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var from = DateTime.UtcNow.AddSeconds(5);
        Console.WriteLine($"cluster: 3 instances, 50 schedules every second, measuring {duration.TotalSeconds:F0} s from {from:HH:mm:ss}");
        await Task.Delay(duration + TimeSpan.FromSeconds(5));
        var until = DateTime.UtcNow.AddSeconds(-1);
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        var window = $"scheduled_for >= '{from:yyyy-MM-dd HH:mm:ss}' AND scheduled_for < '{until:yyyy-MM-dd HH:mm:ss}'";
        var lags = (await db.QueryAsync($"SELECT TIMESTAMPDIFF(MICROSECOND, scheduled_for, started_at) / 1000 FROM rsdk_executions WHERE trigger_kind = 'Scheduled' AND {window}"))
            .Select(r => Convert.ToDouble(r[0], CultureInfo.InvariantCulture)).Order().ToList();
        var expected = 50 * (long)Math.Floor((until - from).TotalSeconds);
        var duplicates = await db.ExecuteAsync($"SELECT COUNT(*) FROM (SELECT schedule_id, scheduled_at FROM schedule_executions WHERE scheduled_at >= '{from:yyyy-MM-dd HH:mm:ss}' GROUP BY schedule_id, scheduled_at HAVING COUNT(*) > 1) d");
        var perNode = await db.QueryAsync($"SELECT instance_id, COUNT(*), SUM(status <> 'Completed') FROM rsdk_executions WHERE {window} GROUP BY instance_id ORDER BY instance_id");
        Console.WriteLine($"cluster: {lags.Count:N0} scheduled executions of {expected:N0} occurrences ({lags.Count / (until - from).TotalSeconds:F1}/s); duplicate claims {duplicates}; "
            + $"start lag p50 {Percentile(lags, 0.50):F0} ms, p99 {Percentile(lags, 0.99):F0} ms, max {lags.LastOrDefault():F0} ms (target p99 <= 100 ms, 0 duplicates)");
        Console.WriteLine($"cluster: per instance (executions, not completed): {string.Join("; ", perNode.Select(r => $"{r[0]} {r[1]}, {r[2]}"))}; load average {LoadAverage()}");
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    internal static ServiceProvider Services(string? connectionString, string instanceId, params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = "http://127.0.0.1:9/",
            ["Replication:Oma:BaseAddress"] = "http://127.0.0.1:9/",
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "bench",
            ["Replication:Vma:VCenters:0:Password"] = "bench",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "bench",
            ["Replication:Scheduler:InstanceId"] = instanceId,
        }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).GroupBy(s => s.Key).Select(g => g.Last())).Build());
        services.AddLogging();
        var scheduling = services.AddReplicationScheduling();
        if (connectionString is not null)
        {
            scheduling.UseMySqlStores(o =>
            {
                o.ConnectionString = connectionString;
                o.ApplyMigrationsOnStart = true;
                o.ChangePollInterval = TimeSpan.FromHours(1); // the runs poll by hand
            });
        }

        return services.BuildServiceProvider();
    }

    private static async Task<(TimeSpan Elapsed, Counters Cost)> MeasureAsync(ThrowawayMariaDb db, Func<Task<long>> act)
    {
        var before = await CountersAsync(db);
        var clock = Stopwatch.StartNew();
        await act();
        var elapsed = clock.Elapsed;
        return (elapsed, await CountersAsync(db) - before);
    }

    /// <summary>The server's counters of the benchmark's user (MariaDB userstat); the read itself adds one SELECT, taken off.</summary>
    private static async Task<Counters> CountersAsync(ThrowawayMariaDb db)
    {
        var row = (await db.QueryAsync("SELECT SELECT_COMMANDS, UPDATE_COMMANDS, ROWS_READ, ROWS_SENT FROM information_schema.user_statistics WHERE USER = 'bench'")).SingleOrDefault();
        return row is null ? new Counters(0, 0, 0) : new Counters(
            Convert.ToInt64(row[0], CultureInfo.InvariantCulture) + Convert.ToInt64(row[1], CultureInfo.InvariantCulture),
            Convert.ToInt64(row[2], CultureInfo.InvariantCulture),
            Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values) => Percentile([.. values.Order()], 0.5);

    internal static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Statements (SELECT and data changes), rows the storage engine read, rows sent back.</summary>
    private sealed record Counters(long Statements, long RowsRead, long RowsSent)
    {
        public static Counters operator -(Counters a, Counters b) => new(a.Statements - b.Statements - 1, a.RowsRead - b.RowsRead, a.RowsSent - b.RowsSent - 1);

        public override string ToString() => $"{Statements} statements, {RowsRead:N0} rows read by the server, {RowsSent:N0} rows sent";
    }
}
