using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection;

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
        services.AddSingleton<IConfigureOptions<SchedulerOptions>>(sp => new ConfigureSchedulerFromConfiguration(sp, $"{configurationSection}:Scheduler"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());

        services.TryAddSingleton<InMemoryScheduleStore>();
        services.TryAddSingleton<InMemoryExecutionStore>();
        services.TryAddSingleton<IScheduleStore>(sp => sp.GetRequiredService<InMemoryScheduleStore>());
        services.TryAddSingleton<IExecutionStore>(sp => sp.GetRequiredService<InMemoryExecutionStore>());

        services.TryAddSingleton<SlotBoard>();
        services.TryAddSingleton<RpoTracker>();
        services.TryAddSingleton<ExecutionEvents>();
        services.TryAddSingleton(sp => new SchedulerTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), () => sp.GetRequiredService<SlotBoard>().InUse));
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<ReplicationScheduler>();
        services.TryAddSingleton<IReplicationScheduler>(sp => sp.GetRequiredService<ReplicationScheduler>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReplicationScheduler>());
        return builder;
    }

    private sealed class SchedulingMarker;

    private sealed record Builder(IServiceCollection Services) : IReplicationSchedulingBuilder;

    private sealed class ConfigureSchedulerFromConfiguration(IServiceProvider services, string sectionPath) : IConfigureOptions<SchedulerOptions>
    {
        public void Configure(SchedulerOptions options)
        {
            if (services.GetService<IConfiguration>() is not { } configuration)
            {
                return;
            }

            try
            {
                configuration.GetSection(sectionPath).Bind(options, b => b.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                throw new OptionsValidationException(sectionPath, typeof(SchedulerOptions), [$"{sectionPath}: {ex.Message}"]);
            }
        }
    }
}

internal sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    private const string Prefix = "Replication:Scheduler";

    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            errors.Add($"{Prefix}:InstanceId is required.");
        }

        if (options.MaxConcurrentJobs is < 1)
        {
            errors.Add($"{Prefix}:MaxConcurrentJobs must be at least 1 when set; was {options.MaxConcurrentJobs}.");
        }

        Positive(errors, "DefaultStartingDeadline", options.DefaultStartingDeadline, allowZero: true);
        Positive(errors, "JobPollInterval", options.JobPollInterval, allowZero: false);
        Positive(errors, "JobPollMaxInterval", options.JobPollMaxInterval, allowZero: false);
        Positive(errors, "StaleJobThreshold", options.StaleJobThreshold, allowZero: false);
        if (options.JobPollMaxInterval < options.JobPollInterval)
        {
            errors.Add($"{Prefix}:JobPollMaxInterval ({options.JobPollMaxInterval}) must be at least {Prefix}:JobPollInterval ({options.JobPollInterval}).");
        }

        if (options.CheckParallelism is < 1 or > 64)
        {
            errors.Add($"{Prefix}:CheckParallelism must be between 1 and 64; was {options.CheckParallelism}.");
        }

        if (string.IsNullOrWhiteSpace(options.ScheduledBy))
        {
            errors.Add($"{Prefix}:ScheduledBy is required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > TimeSpan.FromDays(7))
        {
            errors.Add($"{Prefix}:{key} must be {(allowZero ? "between 0" : "more than 0")} and at most 7 days; was {value}.");
        }
    }
}
