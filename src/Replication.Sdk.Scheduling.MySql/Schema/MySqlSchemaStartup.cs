using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Applies or checks the SDK-owned tables when the host starts. A wrong schema stops the host with a clear message; an
/// unreachable database does not, because the scheduler retries and an appliance database may come up after the host.
/// </summary>
internal sealed class MySqlSchemaStartup(MySqlStoreContext context, ILogger<MySqlSchemaStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await context.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            MySqlStoreLog.SchemaReady(logger, MySqlMigrations.CurrentVersion);
        }
        catch (MySqlException ex)
        {
            MySqlStoreLog.DatabaseUnreachableAtStart(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
