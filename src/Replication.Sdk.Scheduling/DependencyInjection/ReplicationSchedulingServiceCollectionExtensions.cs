using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection;
using Replication.Sdk.DependencyInjection.Internal;

namespace Replication.Sdk.Scheduling.DependencyInjection;

/// <summary>Registers replication scheduling.</summary>
public static class ReplicationSchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the replication scheduler (a hosted service and <see cref="IReplicationScheduler"/>), the default
    /// <see cref="IScheduleEvaluator"/> (<see cref="CronScheduleEvaluator"/>), in-memory stores unless others are registered,
    /// and the SDK itself (<c>AddReplicationSdk</c>). Options bind from <c>{section}:Scheduler</c> and are validated at start.
    /// Calling it again is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configurationSection">The root configuration section; <c>Replication</c> by default.</param>
    /// <returns>A builder to configure scheduling further.</returns>
    public static IReplicationSchedulingBuilder AddReplicationScheduling(this IServiceCollection services, string configurationSection = ReplicationServiceCollectionExtensions.DefaultConfigurationSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new Builder(services);
        if (services.Any(d => d.ServiceType == typeof(SchedulingMarker)))
        {
            return builder;
        }

        services.AddSingleton<SchedulingMarker>();
        services.AddReplicationSdk(configurationSection);
        services.AddOptions<CronScheduleOptions>();
        services.TryAddSingleton<IScheduleEvaluator>(sp => new CronScheduleEvaluator(sp.GetRequiredService<IOptions<CronScheduleOptions>>().Value));

        services.AddOptions<SchedulerOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<SchedulerOptions>>(sp => new BindFromConfiguration<SchedulerOptions>(sp, $"{configurationSection}:Scheduler", static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());

        services.TryAddSingleton<InMemoryScheduleStore>();
        services.TryAddSingleton(sp => new InMemoryExecutionStore(Math.Max(1, sp.GetRequiredService<IOptions<SchedulerOptions>>().Value.InMemoryHistoryLimit)));
        services.TryAddSingleton<IScheduleStore>(sp => sp.GetRequiredService<InMemoryScheduleStore>());
        services.TryAddSingleton<IExecutionStore>(sp => sp.GetRequiredService<InMemoryExecutionStore>());
        services.TryAddSingleton<InMemoryInstanceLeaseStore>();
        services.TryAddSingleton<IInstanceLeaseStore>(sp => sp.GetRequiredService<InMemoryInstanceLeaseStore>());
        services.TryAddSingleton<ResilientExecutionStore>();

        services.TryAddSingleton<SlotBoard>();
        services.TryAddSingleton<RpoTracker>();
        services.TryAddSingleton<ExecutionEvents>();
        services.TryAddSingleton<SchedulerHealth>();
        services.TryAddSingleton(sp => new SchedulerTelemetry(
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), () => sp.GetRequiredService<SlotBoard>().InUse,
            sp.GetRequiredService<RpoTracker>(), sp.GetRequiredService<SchedulerHealth>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<ReplicationScheduler>();
        services.TryAddSingleton<IReplicationScheduler>(sp => sp.GetRequiredService<ReplicationScheduler>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReplicationScheduler>());
        return builder;
    }

    private sealed class SchedulingMarker;

    private sealed record Builder(IServiceCollection Services) : IReplicationSchedulingBuilder;
}

internal sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    private const string Prefix = "Replication:Scheduler";

    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            result.AddError($"{Prefix}:InstanceId is required.");
        }

        if (options.MaxConcurrentJobs is { } max)
        {
            OptionsRules.Range(result, $"{Prefix}:MaxConcurrentJobs", max, 1, 100_000);
        }

        OptionsRules.Duration(result, $"{Prefix}:DefaultStartingDeadline", options.DefaultStartingDeadline, TimeSpan.Zero, TimeSpan.FromDays(7));
        OptionsRules.Duration(result, $"{Prefix}:JobPollInterval", options.JobPollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{Prefix}:JobPollMaxInterval", options.JobPollMaxInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{Prefix}:StaleJobThreshold", options.StaleJobThreshold, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        if (options.JobPollMaxInterval < options.JobPollInterval)
        {
            result.AddError($"{Prefix}:JobPollMaxInterval ({options.JobPollMaxInterval}) must be at least {Prefix}:JobPollInterval ({options.JobPollInterval}).");
        }

        OptionsRules.Range(result, $"{Prefix}:CheckParallelism", options.CheckParallelism, 1, 64);
        OptionsRules.Duration(result, $"{Prefix}:LeaseDuration", options.LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{Prefix}:LeaseRenewInterval", options.LeaseRenewInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        // Compared by halving, not doubling: a huge interval (TimeSpan.MaxValue) must be a validation error, not an overflow.
        if (options.LeaseRenewInterval > options.LeaseDuration / 2)
        {
            result.AddError($"{Prefix}:LeaseRenewInterval ({options.LeaseRenewInterval}) must be at most half of {Prefix}:LeaseDuration ({options.LeaseDuration}), so one late renewal does not lose the lease.");
        }

        OptionsRules.Range(result, $"{Prefix}:InMemoryHistoryLimit", options.InMemoryHistoryLimit, 1, 10_000_000);
        OptionsRules.Range(result, $"{Prefix}:StoreRetryAttempts", options.StoreRetryAttempts, 0, 100);
        OptionsRules.Duration(result, $"{Prefix}:StoreRetryDelay", options.StoreRetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (string.IsNullOrWhiteSpace(options.ScheduledBy))
        {
            result.AddError($"{Prefix}:ScheduledBy is required.");
        }

        return result.Build();
    }
}
