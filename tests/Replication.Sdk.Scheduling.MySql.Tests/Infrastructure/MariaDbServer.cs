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
