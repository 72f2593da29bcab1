using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Scheduling.MySql.TestHost;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// A scheduler process is killed mid-execution (a real child process, real database, the appliance simulator on loopback),
/// then another start recovers: the same instance restarting, or a survivor taking over once the dead one's lease lapsed.
/// Real time is used (a child process cannot share a fake clock); every wait is a bounded poll of state, not a sleep.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class CrashRecoveryTests(MariaDbServer server)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [SkippableTheory]
    [InlineData("crash-host", "the next start of the same instance")]
    [InlineData("survivor", "another instance, once the dead one's lease has lapsed")]
    public async Task KilledMidExecution_IsInterrupted_ItsJobsReattached_AndNothingIsResent(string recoveringInstance, string _)
    {
        server.RequireServer();
        await using var simulator = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, JobDuration = TimeSpan.FromSeconds(6), Seed = 11 });
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await db.AddScheduleAsync("nightly", "0 0 2 * * *", ("max_concurrent_jobs", 5));
        await db.AddGroupAsync("g1", "nightly");
        var vms = simulator.Inventory.All.Take(2).ToList();
        foreach (var (vm, i) in vms.Select((vm, i) => (vm, i)))
        {
            await db.AddContextAsync($"ctx-{vm.Name}", vm.Name, ("vmware_vm_id", vm.Id), ("vm_path", vm.Path), ("vcenter_host", vm.VCenter), ("datacenter", vm.Datacenter));
            await db.AddMembershipAsync("g1", $"ctx-{vm.Name}", ("priority", i));
        }

        using (var child = StartHost(db.ConnectionString, simulator))
        {
            var executionId = await ReadTriggeredAsync(child);
            await WaitForAsync(async () => await db.CountAsync(
                "SELECT COUNT(*) FROM rsdk_vm_outcomes WHERE execution_id = @id AND kind = 'JobInProgress'", ("@id", executionId)) == 2, child);

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        var running = (await db.QueryAsync("SELECT execution_id, status FROM rsdk_executions")).Single();
        running["status"].Should().Be("Running", "the killed process could not finish its record");
        var id = (string)running["execution_id"]!;

        using var host = CrashHost.Build(db.ConnectionString, simulator.VmaBaseAddress.ToString(), simulator.OmaBaseAddress.ToString(), recoveringInstance);
        await host.StartAsync();
        await WaitForAsync(async () => await db.CountAsync(
            "SELECT COUNT(*) FROM rsdk_vm_outcomes WHERE execution_id = @id AND kind = 'JobCompleted'", ("@id", id)) == 2);
        await host.StopAsync();

        var recovered = await host.Services.GetRequiredService<IExecutionStore>().GetAsync(id);
        recovered!.Status.Should().Be(ExecutionStatus.Interrupted);
        recovered.InstanceId.Should().Be(recoveringInstance, "the record belongs to the instance that took it over (its reason names the dead one)");
        recovered.Reason.Should().Contain(recoveringInstance == "crash-host" ? "found running when scheduler instance 'crash-host' started" : "'crash-host' stopped renewing its lease");
        recovered.VmOutcomes.Should().HaveCount(2).And.OnlyContain(o => o.Kind == VmOutcomeKind.JobCompleted && o.JobId != null);
        simulator.Journal.For("POST", "/api/v1/replications").Should().HaveCount(2, "each VM's job was created once, and re-attached rather than resent");
        simulator.Jobs.Should().HaveCount(2);
        (await db.QueryAsync("SELECT status, jobs_created, jobs_completed FROM schedule_executions")).Single()
            .Should().BeEquivalentTo(new Dictionary<string, object?> { ["status"] = "failed", ["jobs_created"] = 2, ["jobs_completed"] = 2 });
    }

    private static Process StartHost(string connectionString, ApplianceSimulator simulator)
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("Replication.Sdk.Scheduling.MySql.Tests", "Replication.Sdk.Scheduling.MySql.TestHost", StringComparison.Ordinal),
            "Replication.Sdk.Scheduling.MySql.TestHost.dll");
        File.Exists(dll).Should().BeTrue($"the test host is built with the tests ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, connectionString, simulator.VmaBaseAddress.ToString(), simulator.OmaBaseAddress.ToString(), "crash-host", "nightly" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadTriggeredAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("triggered ", StringComparison.Ordinal))
            {
                return line["triggered ".Length..];
            }
        }

        throw new InvalidOperationException($"The test host exited ({child.ExitCode}) before triggering.");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, Process? mustStayAlive = null)
    {
        var until = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (mustStayAlive is { HasExited: true })
            {
                throw new InvalidOperationException($"The test host exited early ({mustStayAlive.ExitCode}).");
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The expected database state did not appear.");
            }

            await Task.Delay(50);
        }
    }
}
