using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.IntegrationTests;

/// <summary>A host built as docs/getting-started.md builds one (configuration keys, AddReplicationScheduling, an observer), on the simulator.</summary>
internal static class SimulatorHost
{
    public static IHost Build(ApplianceSimulator sim, string instanceId, IExecutionObserver observer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = sim.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = sim.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "it",
            ["Replication:Vma:VCenters:0:Password"] = "it-password",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "it-net",
            ["Replication:Scheduler:InstanceId"] = instanceId,
            ["Replication:Scheduler:JobPollInterval"] = "00:00:00.100",
            ["Replication:Scheduler:JobPollMaxInterval"] = "00:00:00.200",
        });
        builder.Services.AddReplicationScheduling();
        builder.Services.AddSingleton(observer);
        return builder.Build();
    }
}
