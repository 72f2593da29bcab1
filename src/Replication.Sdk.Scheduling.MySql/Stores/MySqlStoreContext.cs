using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// What every MySQL store shares: one pooled data source and the schema gate. The first use applies or checks the
/// migrations; a failure is not cached, so a database that comes up later is picked up by the next call.
/// </summary>
internal sealed class MySqlStoreContext : IAsyncDisposable, IDisposable
{
    private readonly MySqlDataSource _dataSource;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public MySqlStoreContext(IOptions<MySqlStoreOptions> options)
    {
        Options = options.Value;
        var builder = new MySqlConnectionStringBuilder(Options.ConnectionString ?? string.Empty)
        {
            // Times are written and read as UTC; the server's time zone never shifts them.
            DateTimeKind = MySqlDateTimeKind.Utc,
            DefaultCommandTimeout = (uint)Math.Ceiling(Options.CommandTimeout.TotalSeconds),
        };
        _dataSource = new MySqlDataSource(builder.ConnectionString);
    }

    public MySqlStoreOptions Options { get; }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            await using var connectionScope = connection.ConfigureAwait(false);
            var version = Options.ApplyMigrationsOnStart
                ? await MySqlMigrations.ApplyAsync(connection, cancellationToken).ConfigureAwait(false)
                : await MySqlMigrations.GetVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (version < MySqlMigrations.CurrentVersion)
            {
                throw new MySqlSchemaException(
                    $"The database '{connection.Database}' has the Replication.Sdk tables at version {version}; version {MySqlMigrations.CurrentVersion} is needed. "
                    + "Set Replication:Scheduler:MySql:ApplyMigrationsOnStart to true, or apply MySqlMigrations.GetScript() (see docs/mysql-store.md).")
                {
                    FoundVersion = version,
                    RequiredVersion = MySqlMigrations.CurrentVersion,
                };
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _gate.Dispose();
    }
}
