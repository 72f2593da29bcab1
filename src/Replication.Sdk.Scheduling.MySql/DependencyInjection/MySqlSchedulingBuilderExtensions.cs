using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection;
using Replication.Sdk.DependencyInjection.Internal;
using Replication.Sdk.Scheduling.MySql;

// In the scheduling builder's namespace, so the using a host already has for AddReplicationScheduling finds it.
namespace Replication.Sdk.Scheduling.DependencyInjection;

/// <summary>Registers the MariaDB/MySQL scheduler stores.</summary>
public static class MySqlSchedulingBuilderExtensions
{
    /// <summary>Configuration section of the MySQL store settings.</summary>
    public const string ConfigurationSection = ReplicationServiceCollectionExtensions.DefaultConfigurationSection + ":Scheduler:MySql";

    /// <summary>
    /// Keeps schedules, executions, occurrence claims and instance leases in the appliance's MariaDB/MySQL database, so
    /// several scheduler instances share it and each occurrence runs once.
    /// </summary>
    /// <param name="builder">The scheduling builder.</param>
    /// <param name="connectionString">The connection string (holds a password: take it from a secret store).</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseMySqlStores(this IReplicationSchedulingBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseMySqlStores(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps schedules, executions, occurrence claims and instance leases in the appliance's MariaDB/MySQL database, with
    /// settings bound from <see cref="ConfigurationSection"/> and then <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The scheduling builder.</param>
    /// <param name="configure">Changes to the settings after binding, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseMySqlStores(this IReplicationSchedulingBuilder builder, Action<MySqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MySqlStoreOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<MySqlStoreOptions>>(sp => new BindFromConfiguration<MySqlStoreOptions>(
            sp, ConfigurationSection, static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true)));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MySqlStoreOptions>, MySqlStoreOptionsValidator>());
        services.TryAddSingleton<MySqlStoreContext>();
        services.TryAddSingleton<MySqlScheduleStore>();
        services.TryAddSingleton<MySqlExecutionStore>();
        services.TryAddSingleton<MySqlInstanceLeaseStore>();
        services.TryAddSingleton<MySqlRetentionSweeper>();
        services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(sp => sp.GetRequiredService<MySqlScheduleStore>()));
        services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(sp => sp.GetRequiredService<MySqlExecutionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore>(sp => sp.GetRequiredService<MySqlInstanceLeaseStore>()));

        // First among hosted services, so the schema is applied or checked before the scheduler starts.
        if (!services.Any(d => d.ImplementationType == typeof(MySqlSchemaStartup)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MySqlSchemaStartup>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MySqlRetentionService>());

        return builder;
    }
}

// A host-registered MySqlDataSource (MySqlConnector's AddMySqlDataSource) stands in for the connection string.
internal sealed class MySqlStoreOptionsValidator(IServiceProviderIsService? services = null) : IValidateOptions<MySqlStoreOptions>
{
    private const string Prefix = MySqlSchedulingBuilderExtensions.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, MySqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (services?.IsService(typeof(MySqlConnector.MySqlDataSource)) != true)
            {
                result.AddError($"{Prefix}:ConnectionString is required (or register a MySqlDataSource, e.g. with AddMySqlDataSource).");
            }
        }
        else
        {
            try
            {
                var parsed = new MySqlConnector.MySqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(parsed.Database))
                {
                    result.AddError($"{Prefix}:ConnectionString must name a database (Database=...).");
                }
            }
            catch (ArgumentException ex)
            {
                // The parser's message names the bad keyword, never a value.
                result.AddError($"{Prefix}:ConnectionString is not a valid MySQL connection string: {ex.Message}");
            }
        }

        OptionsRules.Duration(result, $"{Prefix}:ChangePollInterval", options.ChangePollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        OptionsRules.Duration(result, $"{Prefix}:CommandTimeout", options.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        // Zero is "off". A day at least, because an interrupted execution's re-attached jobs still update its record for a while.
        if (options.ExecutionRetention != TimeSpan.Zero)
        {
            OptionsRules.Duration(result, $"{Prefix}:ExecutionRetention", options.ExecutionRetention, MySqlRetentionSweeper.MinimumRetention, MySqlRetentionSweeper.MaximumRetention);
        }

        return result.Build();
    }
}
