// A scheduler process on the MySQL stores that the crash test starts and then kills mid-execution.
// Arguments: <connection string> <VMA base address> <OMA base address> <instance id> <schedule id to trigger>
// It prints "triggered <execution id>" and runs until it is killed.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql.TestHost;

if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: <connection string> <VMA base address> <OMA base address> <instance id> <schedule id>");
    return 2;
}

using var host = CrashHost.Build(args[0], args[1], args[2], args[3]);
await host.StartAsync();
var scheduler = host.Services.GetRequiredService<IReplicationScheduler>();
var id = await scheduler.TriggerAsync(args[4], "crash test", "crash-test");
Console.WriteLine($"triggered {id}");
await host.WaitForShutdownAsync();
return 0;
