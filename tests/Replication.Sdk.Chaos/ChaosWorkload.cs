using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Chaos;

/// <summary>The schedules the soak runs: two cron schedules in two zones, each over its own half of the VMs.</summary>
internal static class ChaosWorkload
{
    public static IReadOnlyDictionary<string, (TimeSpan Period, IReadOnlyList<string> ContextIds)> Load(InMemoryScheduleStore store, int vms)
    {
        var plan = new Dictionary<string, (TimeSpan, IReadOnlyList<string>)>(StringComparer.Ordinal);
        var halves = new[] { ("every-10", "*/10 * * * *", "UTC", TimeSpan.FromMinutes(10)), ("every-15", "*/15 * * * *", "America/New_York", TimeSpan.FromMinutes(15)) };
        for (var h = 0; h < halves.Length; h++)
        {
            var (id, cron, zone, period) = halves[h];
            store.Upsert(new ReplicationSchedule
            {
                Id = id, Name = id, CronExpression = cron, TimeZone = zone, MaxConcurrentJobs = 6, RetryAttempts = 3, RetryDelay = TimeSpan.FromSeconds(30), SkipIfRunning = true,
            });
            store.Upsert(new MachineGroup { Id = $"{id}-group", Name = $"{id}-group", ScheduleId = id, MaxConcurrentVms = 4 });
            var contexts = new List<string>();
            for (var i = 1 + h; i <= vms; i += halves.Length)
            {
                var name = $"vm{i:000}";
                store.Upsert(new ScheduledVm { ContextId = $"ctx-{name}", VmName = name, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
                store.Upsert(new GroupMembership { GroupId = $"{id}-group", VmContextId = $"ctx-{name}", Priority = i });
                contexts.Add($"ctx-{name}");
            }

            plan[id] = (period, contexts);
        }

        return plan;
    }
}
