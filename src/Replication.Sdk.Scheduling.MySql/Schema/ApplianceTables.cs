using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// The appliance's own tables the stores read and write. A database without them is the wrong database (or not an OMA
/// one): that is said once, by name, instead of every store call failing with "Table ... doesn't exist".
/// </summary>
internal static class ApplianceTables
{
    public static readonly IReadOnlyList<string> Required =
        ["replication_schedules", "vm_machine_groups", "vm_group_memberships", "vm_replication_contexts", "schedule_executions", "replication_jobs"];

    public static async Task<IReadOnlyList<string>> MissingAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var command = new MySqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (" + string.Join(", ", Required.Select(t => $"'{t}'")) + ")",
            connection);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            present.Add(reader.GetString(0));
        }

        return [.. Required.Where(t => !present.Contains(t))];
    }

    public static async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (await MissingAsync(connection, cancellationToken).ConfigureAwait(false) is { Count: > 0 } missing)
        {
            throw new MySqlSchemaException(Describe(connection.Database, missing));
        }
    }

    public static string Describe(string database, IReadOnlyList<string> missing) =>
        $"The database '{database}' lacks the OMA appliance's tables {string.Join(", ", missing)}: "
        + "Replication:Scheduler:MySql:ConnectionString must name the appliance's own database (see docs/mysql-store.md).";
}
