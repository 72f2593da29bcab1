using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>Reports whether the scheduler database answers, has the SDK-owned tables at this package's version, and has the appliance's tables.</summary>
internal sealed class MySqlStoreHealthCheck(MySqlStoreContext context) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext healthContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(healthContext);
        var failure = healthContext.Registration.FailureStatus;
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["requiredSchemaVersion"] = MySqlMigrations.CurrentVersion };
        try
        {
            // Straight from the data source: the stores' schema gate would apply migrations or cache readiness.
            var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            data["database"] = connection.Database;
            var version = await MySqlMigrations.GetVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            data["schemaVersion"] = version;
            var missing = await ApplianceTables.MissingAsync(connection, cancellationToken).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                data["missingTables"] = string.Join(",", missing);
                return new HealthCheckResult(failure, ApplianceTables.Describe(connection.Database, missing), data: data);
            }

            if (version < MySqlMigrations.CurrentVersion)
            {
                return new HealthCheckResult(
                    failure,
                    string.Create(CultureInfo.InvariantCulture, $"The database '{connection.Database}' has the Replication.Sdk tables at version {version}; version {MySqlMigrations.CurrentVersion} is needed."),
                    data: data);
            }

            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"The scheduler database '{connection.Database}' is reachable at schema version {version}."), data);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new HealthCheckResult(failure, $"The scheduler database is not reachable: {ex.Message}", ex, data);
        }
    }
}
