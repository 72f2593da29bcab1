using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Chaos;

/// <summary>
/// One real MariaDB database with the appliance's tables: the workload is written into them as the OMA writes them, every
/// instance uses the MySQL stores through <c>UseMySqlStores</c>, and the end state is read back through a separate store
/// of its own — what the database recorded, not what any instance believes.
/// </summary>
internal sealed class MariaDbChaosStore : IChaosStore
{
    /// <summary>The appliance schedules whatever changes someone makes; polled, so the poll's real I/O is part of the soak.</summary>
    private static readonly TimeSpan ChangePollInterval = TimeSpan.FromMinutes(10);

    private readonly ApplianceDatabase _db;
    private readonly ServiceProvider _reader;
    private readonly IExecutionStore _executions;

    // The reader's own calls in flight, so the clock does not jump while the driver queries.
    private readonly InFlight _flight = new();

    private MariaDbChaosStore(string connectionString)
    {
        _db = new ApplianceDatabase(connectionString);
        _reader = MySqlStack.Services(connectionString, configure: Configure);
        _executions = _reader.GetRequiredService<IExecutionStore>();
    }

    public string Name => "MariaDB";

    /// <summary>Gets the database itself, for SQL beside the stores.</summary>
    public ApplianceDatabase Database => _db;

    public bool IsBusy => _flight.Busy;

    public static async Task<MariaDbChaosStore> CreateAsync(MariaDbServer server)
    {
        var connectionString = await server.CreateApplianceDatabaseAsync();

        // Once, before the instances start, so three of them do not race to migrate the same empty database.
        await MySqlMigrations.ApplyAsync(connectionString);
        return new MariaDbChaosStore(connectionString);
    }

    public async Task LoadAsync(ChaosWorkload workload)
    {
        foreach (var (schedule, _, group, vms) in workload.Schedules)
        {
            // The appliance keeps the retry delay in whole minutes.
            await _db.AddScheduleAsync(schedule.Id, schedule.CronExpression,
                ("timezone", schedule.TimeZone), ("max_concurrent_jobs", schedule.MaxConcurrentJobs), ("retry_attempts", schedule.RetryAttempts),
                ("retry_delay_minutes", (int)Math.Ceiling(schedule.RetryDelay.TotalMinutes)), ("skip_if_running", schedule.OverlapPolicy == OverlapPolicy.Skip));
            await _db.AddGroupAsync(group.Id, schedule.Id, ("max_concurrent_vms", group.MaxConcurrentVms));
            foreach (var (vm, membership) in vms)
            {
                await _db.AddContextAsync(vm.ContextId, vm.VmName, ("vmware_vm_id", vm.VmwareVmId), ("vm_path", vm.VmPath), ("vcenter_host", vm.VCenterHost), ("datacenter", vm.Datacenter));
                await _db.AddMembershipAsync(group.Id, vm.ContextId, ("priority", membership.Priority));
            }
        }
    }

    public void Compose(IReplicationSchedulingBuilder builder, InFlight flight)
    {
        builder.UseMySqlStores(o =>
        {
            o.ConnectionString = _db.ConnectionString;
            Configure(o);
        });
        flight.Decorate(builder.Services);
    }

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync() => _flight.Track(() => _executions.GetRunningAsync());

    public async Task<IReadOnlyList<ScheduleExecution>> ReadAllAsync(IEnumerable<string> scheduleIds)
    {
        var all = new List<ScheduleExecution>();
        foreach (var scheduleId in scheduleIds)
        {
            all.AddRange(await _flight.Track(() => _executions.ListAsync(scheduleId, limit: 1_000_000)));
        }

        return all;
    }

    /// <summary>
    /// The appliance's <c>schedule_executions</c> row of every execution (what the OMA's UI shows) must agree with the SDK's
    /// record: one row per execution, none without one, same status, and counters equal to the recorded outcomes.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckDerivedAsync(IReadOnlyList<ScheduleExecution> recorded)
    {
        var violations = new List<string>();
        var rows = (await _flight.Track(() => _db.QueryAsync("SELECT id, status, jobs_created, jobs_completed, jobs_failed FROM schedule_executions")))
            .ToDictionary(r => (string)r["id"]!, StringComparer.Ordinal);
        foreach (var e in recorded)
        {
            if (!rows.Remove(e.Id, out var row))
            {
                violations.Add($"execution {e.Id} has no schedule_executions row");
                continue;
            }

            var expected = (ApplianceExecutionRow.Status(e.Status), e.JobsCreated, e.JobsCompleted, e.JobsFailed);
            var actual = ((string)row["status"]!, Convert.ToInt32(row["jobs_created"], CultureInfo.InvariantCulture),
                Convert.ToInt32(row["jobs_completed"], CultureInfo.InvariantCulture), Convert.ToInt32(row["jobs_failed"], CultureInfo.InvariantCulture));
            if (actual != expected)
            {
                violations.Add($"execution {e.Id}: schedule_executions says {actual} (status, created, completed, failed), its outcomes say {expected}");
            }
        }

        violations.AddRange(rows.Keys.Select(id => $"schedule_executions row {id} has no SDK execution record"));
        return violations;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static void Configure(MySqlStoreOptions o)
    {
        o.ApplyMigrationsOnStart = true;
        o.ChangePollInterval = ChangePollInterval;

        // Off: the sweeper must not delete what the invariants read back at the end.
        o.ExecutionRetention = TimeSpan.Zero;
    }
}
