using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace Replication.Sdk.Scheduling.MySql.TestHost;

/// <summary>
/// The scheduler host of the crash test, built the same way in the child process that is killed and in the test process
/// that recovers (this file is compiled into both): simulator appliances, MySQL stores, short polls and 3-second leases.
/// </summary>
internal static class CrashHost
{
    public static IHost Build(string connectionString, string vmaBaseAddress, string omaBaseAddress, string instanceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = vmaBaseAddress,
            ["Replication:Oma:BaseAddress"] = omaBaseAddress,
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "simulator",
            ["Replication:Vma:VCenters:0:Password"] = "simulator-accepts-any-password",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "sim-net",
            ["Replication:Scheduler:InstanceId"] = instanceId,
            ["Replication:Scheduler:JobPollInterval"] = "00:00:00.200",
            ["Replication:Scheduler:JobPollMaxInterval"] = "00:00:00.200",
            ["Replication:Scheduler:LeaseDuration"] = "00:00:03",
            ["Replication:Scheduler:LeaseRenewInterval"] = "00:00:00.500",
        });
        builder.Services.AddReplicationScheduling().UseMySqlStores(o =>
        {
            o.ConnectionString = connectionString;
            o.ApplyMigrationsOnStart = true;
        });
        return builder.Build();
    }
}
