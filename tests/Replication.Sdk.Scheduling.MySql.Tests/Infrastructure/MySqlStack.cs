using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>The MySQL stores composed exactly as a host composes them: through <c>UseMySqlStores</c>.</summary>
internal static class MySqlStack
{
    public static ServiceProvider Services(string connectionString, TimeProvider? time = null, Action<MySqlStoreOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddReplicationScheduling().UseMySqlStores(o =>
        {
            o.ConnectionString = connectionString;
            o.ApplyMigrationsOnStart = true;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>A host as a user builds one: appliance settings that are never called, and the MySQL stores.</summary>
    public static Microsoft.Extensions.Hosting.IHost Host(string connectionString, bool applyMigrations)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("SCHEDULER_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = "http://127.0.0.1:9/",
            ["Replication:Oma:BaseAddress"] = "http://127.0.0.1:9/",
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "u",
            ["Replication:Vma:VCenters:0:Password"] = "p",
            ["Replication:Jobs:OsseaConfigId"] = "1",
            ["Replication:Jobs:TargetNetwork"] = "n",
        });
        builder.Services.AddReplicationScheduling().UseMySqlStores(o =>
        {
            o.ConnectionString = connectionString;
            o.ApplyMigrationsOnStart = applyMigrations;
        });
        return builder.Build();
    }
}
