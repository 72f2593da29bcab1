using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.Jobs;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Samples.Console;

/// <summary>
/// The main job: discover VMs and run scheduled replication end to end. By default against the embedded appliance
/// simulator; with <c>Sample:UseSimulator=false</c> against real appliances configured under <c>Replication</c>.
/// The default run triggers the schedules marked <c>RunNow</c> by hand and waits for a schedule to fire by itself on the
/// real clock, then prints a summary that tells the two apart.
/// </summary>
public static class SampleApp
{
    public const string Usage = """
        Replication.Sdk sample host: discovers VMs and runs scheduled replication end to end.

        Usage: dotnet run --project samples/Replication.Sdk.Samples.Console [-- [--service | --preview | --dashboard] [--help] [Key=Value ...]]

          (no option)  trigger the RunNow schedules, wait for Sample:ScheduledRuns executions fired by the cron itself,
                       print a summary, exit
          --service    run as a scheduler service until Ctrl+C; schedules fire on their cron
          --preview    print what the schedules would do in the next 7 days (occurrences in local time and UTC, DST
                       notes, spread starts, which VMs would run and why not the others), call no appliance, exit
          --dashboard  run the scheduler with its dashboard and management API on Sample:DashboardUrl (default
                       http://127.0.0.1:5080/replication/, loopback only) with a development sign-in, until Ctrl+C
          --help       print this text
          Key=Value    any configuration key, e.g. --Sample:UseSimulator=false or --Replication:Oma:BaseAddress=https://oma/

        Exit codes: 0 every execution finished and every VM it attempted completed; 1 an execution failed, completed with
        errors or did not finish in time (or Ctrl+C ended the wait); 2 invalid configuration (the message names the key);
        3 an appliance could not be reached or refused the set-up.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, Action<IConfigurationBuilder>? configure = null)
    {
        output ??= System.Console.Out;
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(Usage);
            return ExitCodes.Success;
        }

        try
        {
            if (args.Contains("--dashboard"))
            {
                return await DashboardSample.RunAsync(args, output, configure);
            }

            return await RunCoreAsync(args, output, configure);
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync(output, ExitCodes.BadConfiguration, $"configuration error: {string.Join(" ", ex.Failures)}");
        }
        catch (SampleConfigurationException ex)
        {
            return await FailAsync(output, ExitCodes.BadConfiguration, $"configuration error: {ex.Message}");
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            || ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            // The configuration binder's own message names the key and the type.
            return await FailAsync(output, ExitCodes.BadConfiguration, $"configuration error: {ex.Message}");
        }
        catch (InvalidScheduleException ex)
        {
            return await FailAsync(output, ExitCodes.BadConfiguration, $"configuration error: Sample:Schedules ('{ex.ScheduleId}'): {string.Join("; ", ex.Problems)}");
        }
        catch (ReplicationTransportException ex)
        {
            return await FailAsync(output, ExitCodes.ApplianceUnreachable, $"appliance unreachable: {ex.Message}");
        }
        catch (ReplicationApiException ex)
        {
            // The appliance answered, but not with what the run needs (a VMA that cannot reach its vCenter, say).
            return await FailAsync(output, ExitCodes.ApplianceUnreachable, $"appliance error: {ex.Message}");
        }
    }

    private static async Task<int> RunCoreAsync(string[] args, TextWriter output, Action<IConfigurationBuilder>? configure)
    {
        var service = args.Contains("--service");
        var preview = args.Contains("--preview");

        // appsettings.json sits next to the binary, wherever `dotnet run` is started from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args.Where(a => a is not "--service" and not "--preview")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        var settings = builder.Configuration.GetSection("Sample").Get<SampleSettings>() ?? new SampleSettings();
        Validate(settings);

        await using var simulator = settings.UseSimulator ? await StartSimulatorAsync(settings) : null;
        if (simulator is not null)
        {
            PointAtSimulator(builder.Configuration, simulator);
        }

        using var progress = new ConsoleProgress(output);
        builder.Services.AddSingleton(progress);
        builder.Services.AddReplicationScheduling();
        builder.Services.AddSingleton<IExecutionObserver>(progress);

        using var host = builder.Build();

        // Every option is validated before anything runs (what StartAsync would do), so a bad key is the only output.
        host.Services.GetService<IStartupValidator>()?.Validate();
        if (simulator is not null)
        {
            await output.WriteLineAsync($"Appliance simulator: VMA {simulator.VmaBaseAddress}  OMA {simulator.OmaBaseAddress}  ({simulator.Inventory.All.Count} VMs)");
        }

        await LoadAsync(host.Services, settings, simulator, output);
        if (preview)
        {
            // The scheduler service is not started: a preview reads the stores and calls no appliance.
            var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            PreviewPrinter.Print(await host.Services.GetRequiredService<IReplicationScheduler>().PreviewAsync(now, now.AddDays(7)), output);
            return ExitCodes.Success;
        }

        await host.StartAsync();
        try
        {
            if (service)
            {
                await output.WriteLineAsync("Running as a scheduler service; press Ctrl+C to stop.");
                await host.WaitForShutdownAsync();
                return ExitCodes.Success;
            }

            return await RunOnceAsync(host, settings, progress, output);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<int> RunOnceAsync(IHost host, SampleSettings settings, ConsoleProgress progress, TextWriter output)
    {
        var scheduler = host.Services.GetRequiredService<IReplicationScheduler>();
        var enabled = settings.Schedules.Where(s => s.Enabled).ToList();
        if (enabled.Count == 0)
        {
            throw new SampleConfigurationException("Sample:Schedules has no enabled schedule.");
        }

        // Ctrl+C (the host's console lifetime) ends the wait as the timeout does: summary, then exit 1.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        bound.CancelAfter(settings.Timeout);
        var manual = new List<string>();
        foreach (var schedule in enabled.Where(s => s.RunNow))
        {
            manual.Add(await scheduler.TriggerAsync(schedule.Id, "sample run", Environment.UserName, bound.Token));
        }

        if (settings.ScheduledRuns > 0)
        {
            await output.WriteLineAsync($"Waiting for {settings.ScheduledRuns} execution(s) fired by a schedule itself (on the real clock) …");
        }

        var executions = new List<ScheduleExecution>();
        try
        {
            executions.AddRange(await Task.WhenAll(manual.Select(id => scheduler.WaitForExecutionAsync(id, bound.Token))));
            executions.AddRange(await progress.WaitForScheduledAsync(settings.ScheduledRuns, bound.Token));
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            var stopped = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
            await output.WriteLineAsync(stopped ? "The run was interrupted (Ctrl+C)." : $"The run did not finish within Sample:Timeout ({settings.Timeout}).");
            var finished = progress.Finished;
            PrintSummary(finished, output);
            foreach (var id in manual.Where(id => finished.All(e => e.Id != id)))
            {
                await output.WriteLineAsync($"execution {ConsoleProgress.Short(id)}: still running when the run ended; the host's stop records it as Cancelled");
            }

            return ExitCodes.ExecutionsFailed;
        }

        PrintSummary(executions, output);
        if (executions.Any(e => e.Error?.Contains("could not be reached", StringComparison.Ordinal) == true))
        {
            return ExitCodes.ApplianceUnreachable;
        }

        return executions.All(e => e.Status == ExecutionStatus.Completed) ? ExitCodes.Success : ExitCodes.ExecutionsFailed;
    }

    /// <summary>The sample's own settings are checked before anything starts, with the key in the message.</summary>
    internal static void Validate(SampleSettings settings)
    {
        var evaluator = new CronScheduleEvaluator();
        for (var i = 0; i < settings.Schedules.Count; i++)
        {
            var s = settings.Schedules[i];
            if (string.IsNullOrWhiteSpace(s.Id))
            {
                throw new SampleConfigurationException($"Sample:Schedules:{i}:Id is required.");
            }

            // The scheduler's own rules and parse (H tokens included), so a row it would refuse is reported here, before anything starts.
            var groups = settings.Groups.Where(g => g.ScheduleId == s.Id).Select(g => new MachineGroup { Id = g.Id, Name = g.Name, ScheduleId = g.ScheduleId, MaxConcurrentVms = g.MaxConcurrentVms });
            if (ScheduleValidator.Validate(ToSchedule(s), groups, evaluator) is { Count: > 0 } problems)
            {
                throw new SampleConfigurationException($"Sample:Schedules:{i} ('{s.Id}'): {string.Join("; ", problems)}");
            }
        }

        if (settings.ScheduledRuns < 0)
        {
            throw new SampleConfigurationException($"Sample:ScheduledRuns must be 0 or more; was {settings.ScheduledRuns}.");
        }

        if (settings.ScheduledRuns > 0 && !settings.Schedules.Any(s => s.Enabled))
        {
            throw new SampleConfigurationException("Sample:ScheduledRuns needs an enabled schedule under Sample:Schedules.");
        }

        if (settings.Timeout <= TimeSpan.Zero || settings.Timeout > TimeSpan.FromDays(1))
        {
            throw new SampleConfigurationException($"Sample:Timeout must be more than 0 and at most 1 day; was {settings.Timeout}.");
        }

        if (settings.Simulator.VmCount is < 1 or > 10_000)
        {
            throw new SampleConfigurationException($"Sample:Simulator:VmCount must be between 1 and 10000; was {settings.Simulator.VmCount}.");
        }

        if (settings.Simulator.JobDuration < TimeSpan.Zero || settings.Simulator.JobDuration > TimeSpan.FromDays(1))
        {
            throw new SampleConfigurationException($"Sample:Simulator:JobDuration must be between 0 and 1 day; was {settings.Simulator.JobDuration}.");
        }

        var scheduleIds = settings.Schedules.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < settings.Groups.Count; i++)
        {
            var g = settings.Groups[i];
            if (string.IsNullOrWhiteSpace(g.Id))
            {
                throw new SampleConfigurationException($"Sample:Groups:{i}:Id is required.");
            }

            if (!scheduleIds.Contains(g.ScheduleId))
            {
                throw new SampleConfigurationException($"Sample:Groups:{i}:ScheduleId '{g.ScheduleId}' names no schedule under Sample:Schedules.");
            }

            if (g.Vms.FindIndex(string.IsNullOrWhiteSpace) is var blank and >= 0)
            {
                throw new SampleConfigurationException($"Sample:Groups:{i}:Vms:{blank} is empty; give a VM name.");
            }
        }
    }

    /// <summary>Points the SDK at the simulator exactly as a host points it at real appliances: through configuration.</summary>
    internal static void PointAtSimulator(IConfigurationBuilder configuration, ApplianceSimulator simulator) =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = simulator.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = simulator.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "simulator",
            ["Replication:Vma:VCenters:0:Password"] = "simulator-accepts-any-password",
        });

    private static async Task<int> FailAsync(TextWriter output, int code, string line)
    {
        // One line, no stack trace: the key and the problem are all an operator needs.
        await output.WriteLineAsync(line.ReplaceLineEndings(" "));
        return code;
    }

    internal static async Task<ApplianceSimulator> StartSimulatorAsync(SampleSettings settings)
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

        return await ApplianceSimulator.StartAsync(options);
    }

    /// <summary>Loads schedules, groups and VM contexts into the in-memory store, as a host would from its database.</summary>
    internal static async Task LoadAsync(IServiceProvider services, SampleSettings settings, ApplianceSimulator? simulator, TextWriter output)
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

        foreach (var s in settings.Schedules)
        {
            store.Upsert(ToSchedule(s));
        }
    }

    private static ReplicationSchedule ToSchedule(ScheduleSettings s) => new()
    {
        Id = s.Id, Name = s.Name, CronExpression = s.CronExpression, TimeZone = s.TimeZone, Enabled = s.Enabled,
        MaxConcurrentJobs = s.MaxConcurrentJobs, RetryAttempts = s.RetryAttempts, RetryDelay = s.RetryDelay, ReplicationType = s.ReplicationType,
        Spread = s.Spread,
    };

    private static void PrintSummary(IReadOnlyList<ScheduleExecution> executions, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Summary");
        foreach (var e in executions.OrderBy(e => e.StartedAt))
        {
            var trigger = e.TriggerKind == TriggerKind.Manual ? $"Manual by {e.TriggeredBy}" : $"{e.TriggerKind} for {e.ScheduledFor:HH:mm:ss}Z";
            output.WriteLine($"execution {ConsoleProgress.Short(e.Id)} schedule '{e.ScheduleId}' ({trigger}): {e.Status} — eligible {e.VmsEligible}, created {e.JobsCreated}, completed {e.JobsCompleted}, failed {e.JobsFailed}, skipped {e.JobsSkipped}");
            if (e.Error is { } error)
            {
                output.WriteLine($"  error: {error}");
            }

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

/// <summary>A sample setting is invalid; the message names the key.</summary>
public sealed class SampleConfigurationException(string message) : Exception(message);
