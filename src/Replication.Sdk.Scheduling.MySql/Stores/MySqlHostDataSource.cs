using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>What a host-registered data source must allow for the stores to keep their guarantees.</summary>
internal static class MySqlHostDataSource
{
    public static MySqlDataSource Checked(MySqlDataSource dataSource)
    {
        var settings = new MySqlConnectionStringBuilder(dataSource.ConnectionString);

        // The stores write UTC DateTimes; a Local data source would reject them (or, read back, shift them).
        if (settings.DateTimeKind == MySqlDateTimeKind.Local)
        {
            throw new MySqlSchemaException(
                "The host's MySqlDataSource has DateTimeKind=Local; the scheduler stores write and read UTC times. "
                + "Use DateTimeKind=Utc (or Unspecified) on it, or set Replication:Scheduler:MySql:ConnectionString.");
        }

        if (string.IsNullOrWhiteSpace(settings.Database))
        {
            throw new MySqlSchemaException("The host's MySqlDataSource names no database (Database=...): the scheduler stores need the appliance's database.");
        }

        return dataSource;
    }
}
