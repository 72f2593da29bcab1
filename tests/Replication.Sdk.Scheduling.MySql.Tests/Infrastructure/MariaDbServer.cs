using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>
/// A throwaway MariaDB server for the test run: <c>mariadb-install-db</c> into a temporary directory, then <c>mariadbd</c>
/// on 127.0.0.1 at a free port, with an application user that has a random password. Each test gets a fresh database.
/// Without the Debian package <c>mariadb-server</c> the database tests skip locally and fail in CI (<c>CI=true</c>).
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    public const string InstallHint = "MariaDB is not installed: run 'sudo apt-get install -y mariadb-server' (.ci/run installs it in CI).";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rsdk-mariadb-{Guid.NewGuid():N}");
    private Process? _server;
    private string _password = string.Empty;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets why the server is unavailable, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    public int Port { get; private set; }

    public string Password => _password;

    public async Task InitializeAsync()
    {
        var daemon = Find("mariadbd", "/usr/sbin/mariadbd", "/usr/libexec/mariadbd");
        var install = Find("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");
        if (daemon is null || install is null)
        {
            Unavailable = InstallHint;
            return;
        }

        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        var asRoot = Environment.UserName == "root";
        await RunAsync(install, [
            "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db",
            .. asRoot ? new[] { "--user=root" } : []]);

        Port = FreePort();
        _server = Process.Start(new ProcessStartInfo(daemon)
        {
            ArgumentList =
            {
                "--no-defaults", $"--datadir={data}", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                $"--pid-file={Path.Combine(_root, "mariadbd.pid")}", $"--log-error={Path.Combine(_root, "error.log")}",
                "--skip-log-bin", "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0",
                "--max-connections=500", "--character-set-server=utf8mb4",
                // Per-user statement and commit counts (performance_schema) and rows read (userstat), for the cost tests.
                "--userstat=1", "--performance-schema=ON",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }.WithUser(asRoot))!;
        _server.OutputDataReceived += static (_, _) => { };
        _server.ErrorDataReceived += static (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var admin = new MySqlConnection(AdminConnectionString());
                await admin.OpenAsync();
                break;
            }
            catch (MySqlException) when (DateTime.UtcNow < until && !_server.HasExited)
            {
                await Task.Delay(100);
            }
            catch (MySqlException ex)
            {
                throw new InvalidOperationException($"mariadbd did not start: {ex.Message}\n{ErrorLog()}", ex);
            }
        }

        _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await AdminAsync($"CREATE USER 'rsdk_app'@'127.0.0.1' IDENTIFIED BY '{_password}'; GRANT ALL PRIVILEGES ON *.* TO 'rsdk_app'@'127.0.0.1'");
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    /// <summary>Skips the calling test locally when MariaDB is missing; in CI it fails instead, so the database tests always run there.</summary>
    public void RequireServer()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (InCi)
        {
            throw new InvalidOperationException($"CI=true but the database tests cannot run. {Unavailable}");
        }

        Skip.If(true, Unavailable);
    }

    /// <summary>Creates an empty database with the appliance's tables; the SDK's own tables come from its migrations.</summary>
    public async Task<string> CreateApplianceDatabaseAsync()
    {
        RequireServer();
        var name = $"oma_{Guid.NewGuid():N}"[..20];
        await AdminAsync($"CREATE DATABASE {name} CHARACTER SET utf8mb4");
        var schema = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "appliance-schema.sql"));
        await using var connection = new MySqlConnection(ConnectionString(name));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(schema, connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// A connection string for <paramref name="database"/> under a user of its own, so <see cref="UserStatisticsAsync"/>
    /// counts exactly what the code under test sent (the server counts per user; other tests use other users).
    /// </summary>
    public async Task<(string ConnectionString, string User)> CreateCountedUserAsync(string database)
    {
        RequireServer();
        var user = $"rsdk_n{Guid.NewGuid():N}"[..16];
        await AdminAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{_password}'; GRANT ALL PRIVILEGES ON *.* TO '{user}'@'127.0.0.1'");
        var builder = new MySqlConnectionStringBuilder(ConnectionString(database)) { UserID = user };
        return (builder.ConnectionString, user);
    }

    /// <summary>
    /// The server's counters of one user so far, read as root so reading does not count: statements by kind from
    /// performance_schema (a COMMIT is a statement there; a pooled connection's reset is not SQL and not counted), and the
    /// rows the storage engine read from <c>information_schema.user_statistics</c>.
    /// </summary>
    public async Task<UserStatistics> UserStatisticsAsync(string user)
    {
        await using var connection = new MySqlConnection(AdminConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            """
            SELECT
              COALESCE(SUM(CASE WHEN event_name = 'statement/sql/select' THEN count_star END), 0),
              COALESCE(SUM(CASE WHEN event_name IN ('statement/sql/insert', 'statement/sql/insert_select', 'statement/sql/update', 'statement/sql/update_multi',
                                                    'statement/sql/delete', 'statement/sql/delete_multi', 'statement/sql/replace') THEN count_star END), 0),
              COALESCE(SUM(CASE WHEN event_name = 'statement/sql/commit' THEN count_star END), 0),
              COALESCE(SUM(CASE WHEN event_name = 'statement/sql/rollback' THEN count_star END), 0),
              (SELECT COALESCE(SUM(ROWS_READ), 0) FROM information_schema.user_statistics WHERE USER = @user),
              (SELECT COALESCE(SUM(ROWS_SENT), 0) FROM information_schema.user_statistics WHERE USER = @user)
            FROM performance_schema.events_statements_summary_by_user_by_event_name WHERE user = @user
            """,
            connection);
        command.Parameters.AddWithValue("@user", user);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new UserStatistics(Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2)),
            Convert.ToInt64(reader.GetValue(3)), Convert.ToInt64(reader.GetValue(4)), Convert.ToInt64(reader.GetValue(5)));
    }

    /// <summary>
    /// The rows the storage engine has read so far of each table of <paramref name="database"/> that was read at all, by
    /// anyone (<c>information_schema.table_statistics</c>, userstat), read as root; a database of one test is read by it alone.
    /// </summary>
    public async Task<Dictionary<string, long>> TableRowsReadAsync(string database)
    {
        await using var connection = new MySqlConnection(AdminConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT TABLE_NAME, ROWS_READ FROM information_schema.table_statistics WHERE TABLE_SCHEMA = @db", connection);
        command.Parameters.AddWithValue("@db", database);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1));
        }

        return rows;
    }

    public string ConnectionString(string database, int? port = null) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)(port ?? Port),
        UserID = "rsdk_app",
        Password = _password,
        Database = database,
        AllowUserVariables = true,
    }.ConnectionString;

    private string Socket => Path.Combine(_root, "mariadbd.sock");

    private string AdminConnectionString() => new MySqlConnectionStringBuilder
    {
        Server = Socket,
        ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
        UserID = "root",
    }.ConnectionString;

    private async Task AdminAsync(string sql)
    {
        await using var connection = new MySqlConnection(AdminConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_root, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no error log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find(string name, params string[] candidates) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).Concat(candidates).FirstOrDefault(File.Exists);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

/// <summary>One user's server counters: SELECTs, data changes (INSERT, UPDATE, DELETE), commits, rollbacks, rows read by the storage engine and rows sent back.</summary>
public sealed record UserStatistics(long Selects, long Updates, long Commits, long Rollbacks, long RowsRead, long RowsSent)
{
    /// <summary>Gets the statements that read or change data (not BEGIN, COMMIT or ROLLBACK).</summary>
    public long Statements => Selects + Updates;

    public static UserStatistics operator -(UserStatistics a, UserStatistics b) =>
        new(a.Selects - b.Selects, a.Updates - b.Updates, a.Commits - b.Commits, a.Rollbacks - b.Rollbacks, a.RowsRead - b.RowsRead, a.RowsSent - b.RowsSent);
}

internal static class ProcessStartInfoExtensions
{
    /// <summary>mariadbd refuses to run as root unless told to; as another user it needs nothing.</summary>
    public static ProcessStartInfo WithUser(this ProcessStartInfo start, bool asRoot)
    {
        if (asRoot)
        {
            start.ArgumentList.Add("--user=root");
        }

        return start;
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbServer>
{
    public const string Name = "mariadb";
}
