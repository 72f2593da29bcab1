using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection.Internal;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MariaDB/MySQL scheduler stores.</summary>
public static class MySqlSchedulingBuilderExtensions
{
    /// <summary>Configuration section of the MySQL store settings under the default root section; under another root <c>R</c> it is <c>R:Scheduler:MySql</c>.</summary>
    public const string ConfigurationSection = ReplicationServiceCollectionExtensions.DefaultConfigurationSection + ":" + SectionUnderRoot;

    private const string SectionUnderRoot = "Scheduler:MySql";

    /// <summary>
    /// Keeps schedules, executions, occurrence claims, instance leases, RPO breach state, pauses and the operator audit log in the appliance's MariaDB/MySQL database, so
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
    /// Keeps schedules, executions, occurrence claims, instance leases, RPO breach state, pauses and the operator audit log in the appliance's MariaDB/MySQL database, with
    /// settings bound from <c>{root}:Scheduler:MySql</c> (<see cref="ConfigurationSection"/> for the default root) and then
    /// <paramref name="configure"/>. That section is the store's own: the scheduler's strict binding of <c>{root}:Scheduler</c>
    /// leaves it alone, and its keys are checked strictly here. The appliance's schedule tables are only read unless
    /// <see cref="MySqlStoreOptions.AllowScheduleWrites"/> is set; then an <see cref="IScheduleStoreWriter"/> is registered.
    /// </summary>
    /// <param name="builder">The scheduling builder.</param>
    /// <param name="configure">Changes to the settings after binding, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseMySqlStores(this IReplicationSchedulingBuilder builder, Action<MySqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var section = $"{builder.ConfigurationSection}:{SectionUnderRoot}";
        services.AddBoundOptions<MySqlStoreOptions>(section, static (s, o) => s.Bind(o, b => b.ErrorOnUnknownConfiguration = true));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MySqlStoreOptions>, MySqlStoreOptionsValidator>(sp => new MySqlStoreOptionsValidator(section, sp.GetService<IServiceProviderIsService>())));
        services.TryAddSingleton<MySqlStoreContext>();
        services.TryAddSingleton<MySqlScheduleStore>();
        services.TryAddSingleton<MySqlExecutionStore>();
        services.TryAddSingleton<MySqlInstanceLeaseStore>();
        services.TryAddSingleton<MySqlRpoStateStore>();
        services.TryAddSingleton<MySqlPauseStore>();
        services.TryAddSingleton<MySqlRetentionSweeper>();
        services.TryAddSingleton<MySqlAuditSink>();
        services.TryAddSingleton<MySqlScheduleWriter>();
        services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(sp => sp.GetRequiredService<MySqlScheduleStore>()));
        services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(sp => sp.GetRequiredService<MySqlExecutionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore>(sp => sp.GetRequiredService<MySqlInstanceLeaseStore>()));
        services.Replace(ServiceDescriptor.Singleton<IRpoStateStore>(sp => sp.GetRequiredService<MySqlRpoStateStore>()));
        services.Replace(ServiceDescriptor.Singleton<IPauseStore>(sp => sp.GetRequiredService<MySqlPauseStore>()));
        services.Replace(ServiceDescriptor.Singleton<IAuditSink>(sp => sp.GetRequiredService<MySqlAuditSink>()));

        // The option is bound when the provider is built, not now: the factory yields null while it is off, so
        // GetService<IScheduleStoreWriter>() finds no writer and the appliance's tables are only read.
        services.Replace(ServiceDescriptor.Singleton<IScheduleStoreWriter>(sp =>
            sp.GetRequiredService<IOptions<MySqlStoreOptions>>().Value.AllowScheduleWrites ? sp.GetRequiredService<MySqlScheduleWriter>() : null!));

        // First among hosted services, so the schema is applied or checked before the scheduler starts.
        if (!services.Any(d => d.ImplementationType == typeof(MySqlSchemaStartup)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MySqlSchemaStartup>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MySqlRetentionService>());

        return builder;
    }
}
