// A scheduler process on the MySQL stores that the crash test starts and then kills mid-execution.
// Arguments: <connection string> <VMA base address> <OMA base address> <instance id> <schedule id to trigger>
// It prints "triggered <execution id>" and runs until it is killed.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.DependencyInjection;
using Replication.Sdk.Scheduling.MySql;

if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: <connection string> <VMA base address> <OMA base address> <instance id> <schedule id>");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Replication:Vma:BaseAddress"] = args[1],
    ["Replication:Oma:BaseAddress"] = args[2],
    ["Replication:Vma:VCenters:0:Host"] = "*",
    ["Replication:Vma:VCenters:0:Username"] = "simulator",
    ["Replication:Vma:VCenters:0:Password"] = "simulator-accepts-any-password",
    ["Replication:Jobs:OsseaConfigId"] = "7",
    ["Replication:Jobs:TargetNetwork"] = "sim-net",
    ["Replication:Scheduler:InstanceId"] = args[3],
    ["Replication:Scheduler:JobPollInterval"] = "00:00:00.200",
    ["Replication:Scheduler:JobPollMaxInterval"] = "00:00:00.200",
    ["Replication:Scheduler:LeaseDuration"] = "00:00:03",
    ["Replication:Scheduler:LeaseRenewInterval"] = "00:00:00.500",
});
builder.Services.AddReplicationScheduling().UseMySqlStores(o =>
{
    o.ConnectionString = args[0];
    o.ApplyMigrationsOnStart = true;
});

using var host = builder.Build();
await host.StartAsync();
var scheduler = host.Services.GetRequiredService<IReplicationScheduler>();
var id = await scheduler.TriggerAsync(args[4], "crash test", "crash-test");
Console.WriteLine($"triggered {id}");
await host.WaitForShutdownAsync();
return 0;
