using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>
/// A MariaDB for one scale run: <c>RSDK_BENCH_MYSQL</c> (a connection string to an empty database) when set, else a
/// throwaway <c>mariadbd</c> in a temporary directory (the Debian package <c>mariadb-server</c>), deleted afterwards.
/// </summary>
internal sealed class ThrowawayMariaDb : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rsdk-bench-{Guid.NewGuid():N}");
    private Process? _server;

    public string ConnectionString { get; private set; } = "";

    public static async Task<ThrowawayMariaDb> StartAsync()
    {
        var db = new ThrowawayMariaDb();
        if (Environment.GetEnvironmentVariable("RSDK_BENCH_MYSQL") is { Length: > 0 } given)
        {
            db.ConnectionString = given;
        }
        else
        {
            await db.LaunchAsync();
        }

        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var schema = new MySqlCommand(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "appliance-schema.sql")), connection);
        await schema.ExecuteNonQueryAsync();
        return db;
    }

    public async Task<long> ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<object[]>> QueryAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private async Task LaunchAsync()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        var root = Environment.UserName == "root" ? new[] { "--user=root" } : [];
        using (var install = Process.Start(new ProcessStartInfo("mariadb-install-db", ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", .. root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            await install.StandardOutput.ReadToEndAsync();
            await install.WaitForExitAsync();
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var socket = Path.Combine(_root, "sock");
        _server = Process.Start(new ProcessStartInfo("/usr/sbin/mariadbd",
        [
            "--no-defaults", $"--datadir={data}", $"--socket={socket}", $"--port={port}", "--bind-address=127.0.0.1", "--skip-log-bin",
            "--innodb-buffer-pool-size=256M", "--innodb-flush-log-at-trx-commit=2", "--max-connections=500", "--character-set-server=utf8mb4",
            "--userstat=1", .. root,
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _server.OutputDataReceived += static (_, _) => { };
        _server.ErrorDataReceived += static (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        var admin = new MySqlConnectionStringBuilder { Server = socket, ConnectionProtocol = MySqlConnectionProtocol.UnixSocket, UserID = "root" }.ConnectionString;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new MySqlConnection(admin);
                await connection.OpenAsync();
                await using var setup = new MySqlCommand("CREATE DATABASE oma; CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL PRIVILEGES ON *.* TO 'bench'@'127.0.0.1'", connection);
                await setup.ExecuteNonQueryAsync();
                break;
            }
            catch (MySqlException) when (attempt < 600)
            {
                await Task.Delay(100);
            }
        }

        ConnectionString = new MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)port, UserID = "bench", Password = "bench", Database = "oma", AllowUserVariables = true, MaximumPoolSize = 200 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
