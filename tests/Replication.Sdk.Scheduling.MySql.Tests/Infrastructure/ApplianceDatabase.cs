using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>Writes the appliance's tables the way the OMA does (relying on the column defaults), and reads rows back for assertions.</summary>
public sealed class ApplianceDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>Inserts a schedule with only the columns given; the rest take the appliance's defaults.</summary>
    public Task AddScheduleAsync(string id, string cron, params (string Column, object? Value)[] columns) =>
        InsertAsync("replication_schedules", [("id", id), ("name", id), ("cron_expression", cron), .. columns]);

    public Task AddGroupAsync(string id, string? scheduleId, params (string Column, object? Value)[] columns) =>
        InsertAsync("vm_machine_groups", [("id", id), ("name", id), ("schedule_id", scheduleId), .. columns]);

    public Task AddContextAsync(string contextId, string vmName, params (string Column, object? Value)[] columns) =>
        InsertAsync("vm_replication_contexts",
        [
            ("context_id", contextId), ("vm_name", vmName), ("vmware_vm_id", $"vm-{vmName}"), ("vm_path", $"/DC1/vm/{vmName}"),
            ("vcenter_host", "vcenter.example.local"), ("datacenter", "DC1"), .. columns,
        ]);

    public Task AddMembershipAsync(string groupId, string contextId, params (string Column, object? Value)[] columns) =>
        InsertAsync("vm_group_memberships", [("id", $"m-{groupId}-{contextId}"), ("group_id", groupId), ("vm_context_id", contextId), .. columns]);

    /// <summary>A schedule with one group of <paramref name="vms"/> VMs named <c>{prefix}-vmNN</c>.</summary>
    public async Task AddScheduleWithVmsAsync(string scheduleId, string cron, string groupId, int vms, string? prefix = null, int maxConcurrentVms = 5)
    {
        await AddScheduleAsync(scheduleId, cron, ("max_concurrent_jobs", 50), ("retry_delay_minutes", 5));
        await AddGroupAsync(groupId, scheduleId, ("max_concurrent_vms", maxConcurrentVms));
        for (var i = 0; i < vms; i++)
        {
            var name = $"{prefix ?? groupId}-vm{i:00}";
            await AddContextAsync($"ctx-{name}", name);
            await AddMembershipAsync(groupId, $"ctx-{name}", ("priority", i));
        }
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Convert.ToInt64((await QueryAsync(sql, parameters))[0].Values.Single(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Inserts a row; a column given twice takes its last value (defaults first, then the caller's).</summary>
    private async Task InsertAsync(string table, (string Column, object? Value)[] given)
    {
        var columns = given.GroupBy(c => c.Column, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
        var names = string.Join(", ", columns.Select(c => c.Column));
        var values = string.Join(", ", columns.Select((_, i) => $"@v{i}"));
        await ExecuteAsync($"INSERT INTO {table} ({names}) VALUES ({values})", [.. columns.Select((c, i) => ($"@v{i}", c.Value))]);
    }
}
