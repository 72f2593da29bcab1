using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// What every MySQL store shares: one pooled data source and the schema gate. The first use applies or checks the
/// migrations; a failure is not cached, so a database that comes up later is picked up by the next call. With no
/// connection string set, the host's own <see cref="MySqlDataSource"/> (MySqlConnector's <c>AddMySqlDataSource</c>) is
/// used, and left to the host to dispose.
/// </summary>
internal sealed class MySqlStoreContext : IAsyncDisposable, IDisposable
{
    private readonly MySqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public MySqlStoreContext(IOptions<MySqlStoreOptions> options, ILoggerFactory? loggerFactory = null, MySqlDataSource? hostDataSource = null)
    {
        Options = options.Value;
        if (string.IsNullOrWhiteSpace(Options.ConnectionString) && hostDataSource is not null)
        {
            _dataSource = MySqlHostDataSource.Checked(hostDataSource);
            return;
        }

        var builder = new MySqlConnectionStringBuilder(Options.ConnectionString ?? string.Empty)
        {
            // Times are written and read as UTC; the server's time zone never shifts them.
            DateTimeKind = MySqlDateTimeKind.Utc,
            DefaultCommandTimeout = (uint)Math.Ceiling(Options.CommandTimeout.TotalSeconds),
        };
        var dataSource = new MySqlDataSourceBuilder(builder.ConnectionString);
        if (loggerFactory is not null)
        {
            dataSource.UseLoggerFactory(loggerFactory);
        }

        _dataSource = dataSource.Build();
        _ownsDataSource = true;
    }

    /// <summary>Gets the data source the stores use (the health check opens its own connections from it).</summary>
    internal MySqlDataSource DataSource => _dataSource;

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

            await ApplianceTables.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        _gate.Dispose();
    }
}
