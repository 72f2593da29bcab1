using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection.Internal;

namespace Replication.Sdk.Scheduling.MySql;

// A host-registered MySqlDataSource (MySqlConnector's AddMySqlDataSource) stands in for the connection string.
internal sealed class MySqlStoreOptionsValidator(string prefix, IServiceProviderIsService? services = null) : IValidateOptions<MySqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, MySqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (services?.IsService(typeof(MySqlConnector.MySqlDataSource)) != true)
            {
                result.AddError($"{prefix}:ConnectionString is required (or register a MySqlDataSource, e.g. with AddMySqlDataSource).");
            }
        }
        else
        {
            try
            {
                var parsed = new MySqlConnector.MySqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(parsed.Database))
                {
                    result.AddError($"{prefix}:ConnectionString must name a database (Database=...).");
                }
            }
            catch (ArgumentException ex)
            {
                // The parser's message names the bad keyword, never a value.
                result.AddError($"{prefix}:ConnectionString is not a valid MySQL connection string: {ex.Message}");
            }
        }

        OptionsRules.Duration(result, $"{prefix}:ChangePollInterval", options.ChangePollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        OptionsRules.Duration(result, $"{prefix}:ChangeReconcileInterval", options.ChangeReconcileInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{prefix}:CommandTimeout", options.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        // Zero is "off". A day at least, because an interrupted execution's re-attached jobs still update its record for a while.
        if (options.ExecutionRetention != TimeSpan.Zero)
        {
            OptionsRules.Duration(result, $"{prefix}:ExecutionRetention", options.ExecutionRetention, MySqlRetentionSweeper.MinimumRetention, MySqlRetentionSweeper.MaximumRetention);
        }

        if (options.AuditRetention != TimeSpan.Zero)
        {
            OptionsRules.Duration(result, $"{prefix}:AuditRetention", options.AuditRetention, MySqlRetentionSweeper.MinimumRetention, MySqlRetentionSweeper.MaximumRetention);
        }

        return result.Build();
    }
}
