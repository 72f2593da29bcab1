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
}
