using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>The schedules the soak runs: two cron schedules in two zones, each over its own half of the VMs.</summary>
internal sealed class ChaosWorkload
{
    private ChaosWorkload(IReadOnlyList<ChaosSchedule> schedules) => Schedules = schedules;

    public IReadOnlyList<ChaosSchedule> Schedules { get; }

    /// <summary>Gets each schedule's period and the VM contexts every execution of it selects, for the invariants.</summary>
    public IReadOnlyDictionary<string, (TimeSpan Period, IReadOnlyList<string> ContextIds)> Plan =>
        Schedules.ToDictionary(s => s.Schedule.Id, s => (s.Period, (IReadOnlyList<string>)[.. s.Vms.Select(v => v.Vm.ContextId)]), StringComparer.Ordinal);

    /// <summary>Creates the workload over the simulator's VMs, recorded with their real identities as the appliance records them.</summary>
    public static ChaosWorkload Create(SimulatedInventory inventory)
    {
        var vms = inventory.All.Count;
        var byName = inventory.All.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        var schedules = new List<ChaosSchedule>();
        var halves = new[] { ("every-10", "*/10 * * * *", "UTC", TimeSpan.FromMinutes(10)), ("every-15", "*/15 * * * *", "America/New_York", TimeSpan.FromMinutes(15)) };
        for (var h = 0; h < halves.Length; h++)
        {
            var (id, cron, zone, period) = halves[h];
            var schedule = new ReplicationSchedule
            {
                Id = id, Name = id, CronExpression = cron, TimeZone = zone, MaxConcurrentJobs = 6, RetryAttempts = 3, RetryDelay = TimeSpan.FromSeconds(30), OverlapPolicy = OverlapPolicy.Skip,
            };
            var group = new MachineGroup { Id = $"{id}-group", Name = $"{id}-group", ScheduleId = id, MaxConcurrentVms = 4 };
            var members = new List<(ScheduledVm, GroupMembership)>();
            for (var i = 1 + h; i <= vms; i += halves.Length)
            {
                var vm = byName[$"vm{i:000}"];
                members.Add((
                    new ScheduledVm { ContextId = $"ctx-{vm.Name}", VmName = vm.Name, VmwareVmId = vm.Id, VmPath = vm.Path, VCenterHost = vm.VCenter, Datacenter = vm.Datacenter },
                    new GroupMembership { GroupId = group.Id, VmContextId = $"ctx-{vm.Name}", Priority = i }));
            }

            schedules.Add(new ChaosSchedule(schedule, period, group, members));
        }

        return new ChaosWorkload(schedules);
    }

    /// <summary>
    /// One schedule over every VM that cron never fires during a run (it is run by manual triggers), with the schedule's
    /// default retry settings: the shape of the measurement (every VM in each of many manual executions).
    /// </summary>
    public static ChaosWorkload Manual(SimulatedInventory inventory, int maxConcurrentJobs)
    {
        var schedule = new ReplicationSchedule { Id = "manual", Name = "manual", CronExpression = "0 3 1 1 *", MaxConcurrentJobs = maxConcurrentJobs };
        var group = new MachineGroup { Id = "manual-group", Name = "manual-group", ScheduleId = schedule.Id, MaxConcurrentVms = maxConcurrentJobs };
        var members = inventory.All
            .Select((vm, i) => (
                new ScheduledVm { ContextId = $"ctx-{vm.Name}", VmName = vm.Name, VmwareVmId = vm.Id, VmPath = vm.Path, VCenterHost = vm.VCenter, Datacenter = vm.Datacenter },
                new GroupMembership { GroupId = group.Id, VmContextId = $"ctx-{vm.Name}", Priority = i }))
            .ToList();
        return new ChaosWorkload([new ChaosSchedule(schedule, TimeSpan.FromDays(366), group, members)]);
    }
}

/// <summary>One schedule of the workload with its one group and that group's VMs.</summary>
internal sealed record ChaosSchedule(ReplicationSchedule Schedule, TimeSpan Period, MachineGroup Group, IReadOnlyList<(ScheduledVm Vm, GroupMembership Membership)> Vms);
