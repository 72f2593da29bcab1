using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.DependencyInjection;
using Replication.Sdk.Testing;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Samples.Console;

/// <summary>
/// The main job: discover VMs and run scheduled replication end to end. By default against the embedded appliance
/// simulator; with <c>Sample:UseSimulator=false</c> against real appliances configured under <c>Replication</c>.
/// </summary>
public static class SampleApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, Action<IConfigurationBuilder>? configure = null)
    {
        output ??= System.Console.Out;
        var service = args.Contains("--service");
        // appsettings.json sits next to the binary, wherever `dotnet run` is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args.Where(a => a != "--service")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        var settings = builder.Configuration.GetSection("Sample").Get<SampleSettings>() ?? new SampleSettings();

        await using var simulator = settings.UseSimulator ? await StartSimulatorAsync(settings, output) : null;
        if (simulator is not null)
        {
            // Point the SDK at the simulator exactly as a host points it at real appliances: through configuration.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Replication:Vma:BaseAddress"] = simulator.VmaBaseAddress.ToString(),
                ["Replication:Oma:BaseAddress"] = simulator.OmaBaseAddress.ToString(),
                ["Replication:Vma:VCenters:0:Host"] = "*",
                ["Replication:Vma:VCenters:0:Username"] = "simulator",
                ["Replication:Vma:VCenters:0:Password"] = "simulator-accepts-any-password",
            });
        }

        builder.Services.AddSingleton(new ConsoleProgress(output));
        builder.Services.AddReplicationScheduling();
        builder.Services.AddSingleton<IExecutionObserver>(sp => sp.GetRequiredService<ConsoleProgress>());

        using var host = builder.Build();
        await LoadAsync(host.Services, settings, simulator, output);
        await host.StartAsync();

        if (service)
        {
            output.WriteLine("Running as a scheduler service; press Ctrl+C to stop.");
            await host.WaitForShutdownAsync();
            return 0;
        }

        var scheduler = host.Services.GetRequiredService<IReplicationScheduler>();
        if (!settings.Schedules.Any(s => s.Enabled))
        {
            await output.WriteLineAsync("No enabled schedule is configured under Sample:Schedules.");
            await host.StopAsync();
            return 2;
        }

        var ids = new List<string>();
        foreach (var schedule in settings.Schedules.Where(s => s.Enabled))
        {
            ids.Add(await scheduler.TriggerAsync(schedule.Id, "sample run", Environment.UserName));
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var executions = await Task.WhenAll(ids.Select(id => scheduler.WaitForExecutionAsync(id, bound.Token)));
        await host.StopAsync();

        PrintSummary(executions, output);
        return executions.All(e => e.IsFinished) ? 0 : 1;
    }

    private static async Task<ApplianceSimulator> StartSimulatorAsync(SampleSettings settings, TextWriter output)
    {
        var options = new SimulatorOptions { VmCount = settings.Simulator.VmCount, JobDuration = settings.Simulator.JobDuration, Seed = 7 };
        options.VCenters.Clear();
        options.VCenters.Add(settings.VCenterHost);
        options.Datacenters.Clear();
        options.Datacenters.Add(settings.Datacenter);
        foreach (var vm in settings.Simulator.FailingVms)
        {
            options.FailingVms.Add(vm);
        }

        var simulator = await ApplianceSimulator.StartAsync(options);
        output.WriteLine($"Appliance simulator: VMA {simulator.VmaBaseAddress}  OMA {simulator.OmaBaseAddress}  ({simulator.Inventory.All.Count} VMs)");
        return simulator;
    }

    /// <summary>Loads schedules, groups and VM contexts into the in-memory store, as a host would from its database.</summary>
    private static async Task LoadAsync(IServiceProvider services, SampleSettings settings, ApplianceSimulator? simulator, TextWriter output)
    {
        var store = services.GetRequiredService<InMemoryScheduleStore>();
        var specs = new Dictionary<string, VmSpecSnapshot>(StringComparer.OrdinalIgnoreCase);
        if (simulator is not null)
        {
            // Pretend the host recorded these specs last week, then the VMs changed in vCenter: the run reports the drift.
            var vma = services.GetRequiredService<IVmaClient>();
            var inventory = await vma.DiscoverAsync(new DiscoverVmsRequest { VCenterHost = settings.VCenterHost, Datacenter = settings.Datacenter });
            foreach (var vm in inventory.Vms)
            {
                specs[vm.Name] = VmSpecSnapshot.FromDiscovery(vm);
            }

            simulator.Inventory.ResizeDisk("vm002", 0, 200L << 30);
            simulator.Inventory.AddNic("vm003", "Prod-VLAN-30");
            output.WriteLine("Simulated changes since the last recorded specs: vm002 disk 0 resized to 200 GiB, vm003 got a new NIC.");
        }

        foreach (var s in settings.Schedules)
        {
            store.Upsert(new ReplicationSchedule
            {
                Id = s.Id, Name = s.Name, CronExpression = s.CronExpression, TimeZone = s.TimeZone, Enabled = s.Enabled,
                MaxConcurrentJobs = s.MaxConcurrentJobs, RetryAttempts = s.RetryAttempts, RetryDelay = s.RetryDelay, ReplicationType = s.ReplicationType,
            });
        }

        var added = DateTimeOffset.UtcNow;
        foreach (var g in settings.Groups)
        {
            store.Upsert(new MachineGroup { Id = g.Id, Name = g.Name, ScheduleId = g.ScheduleId, MaxConcurrentVms = g.MaxConcurrentVms, Priority = g.Priority });
            for (var i = 0; i < g.Vms.Count; i++)
            {
                var name = g.Vms[i];
                store.Upsert(new ScheduledVm
                {
                    ContextId = $"ctx-{name}", VmName = name, VCenterHost = settings.VCenterHost, Datacenter = settings.Datacenter,
                    VmwareVmId = specs.GetValueOrDefault(name)?.VmwareVmId, LastKnownSpec = specs.GetValueOrDefault(name),
                });
                store.Upsert(new GroupMembership { GroupId = g.Id, VmContextId = $"ctx-{name}", Priority = i, AddedAt = added });
            }
        }
    }

    private static void PrintSummary(IReadOnlyList<ScheduleExecution> executions, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Summary");
        foreach (var e in executions)
        {
            output.WriteLine($"execution {ConsoleProgress.Short(e.Id)} schedule '{e.ScheduleId}': {e.Status} — eligible {e.VmsEligible}, created {e.JobsCreated}, completed {e.JobsCompleted}, failed {e.JobsFailed}, skipped {e.JobsSkipped}");
            foreach (var o in e.VmOutcomes)
            {
                var reason = o.SkipReason is { } skip ? $"{skip}: {o.Reason}" : o.Reason;
                output.WriteLine($"  {o.VmName,-8} {o.Kind,-17} {o.JobId ?? "-",-32} {reason}");
                if (o.Drift is { HasChanges: true } drift)
                {
                    output.WriteLine($"           drift: {drift}");
                }
            }
        }
    }
}
