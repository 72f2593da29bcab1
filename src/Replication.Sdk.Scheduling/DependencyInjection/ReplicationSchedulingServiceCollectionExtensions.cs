using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;
using Replication.Sdk.DependencyInjection.Internal;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers replication scheduling.</summary>
public static class ReplicationSchedulingServiceCollectionExtensions
{
    private const string SchedulerSectionName = "Scheduler";

    /// <summary>
    /// Registers the replication scheduler (a hosted service and <see cref="IReplicationScheduler"/>), the default
    /// <see cref="IScheduleEvaluator"/> (<see cref="CronScheduleEvaluator"/>), <see cref="IPauseControl"/>, in-memory stores unless others are registered,
    /// <see cref="IScheduleStoreWriter"/> when the schedule store is writable (resolve it with <c>GetService</c>; none means read-only),
    /// and the SDK itself (<c>AddReplicationSdk</c>). Options bind from <c>{section}:Scheduler</c> and are validated at start.
    /// Calling it again with the same section is harmless; another section is an <see cref="InvalidOperationException"/> (one
    /// host holds one appliance pair and one scheduler).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configurationSection">The root configuration section; <c>Replication</c> by default.</param>
    /// <returns>A builder to configure scheduling further.</returns>
    public static IReplicationSchedulingBuilder AddReplicationScheduling(this IServiceCollection services, string configurationSection = ReplicationServiceCollectionExtensions.DefaultConfigurationSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);

        // First, so a second call with another section fails here, before anything is registered for it.
        services.AddReplicationSdk(configurationSection);
        var builder = new Builder(services, configurationSection);
        if (services.Any(d => d.ServiceType == typeof(SchedulingMarker)))
        {
            return builder;
        }

        services.AddSingleton<SchedulingMarker>();
        services.AddOptions<CronScheduleOptions>();
        services.TryAddSingleton<IScheduleEvaluator>(sp => new CronScheduleEvaluator(sp.GetRequiredService<IOptions<CronScheduleOptions>>().Value));

        var schedulerSection = $"{configurationSection}:{SchedulerSectionName}";
        services.AddBoundOptions<SchedulerOptions>(schedulerSection, static (section, o) =>
        {
            section.Bind(o, b => b.ErrorOnUnknownConfiguration = true);
            BoundOptionsRegistration.RejectBlank<SchedulerOptions>(section, nameof(SchedulerOptions.MaxConcurrentJobs), "give a number, or remove the key for no cap");
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>>(new SchedulerOptionsValidator(schedulerSection)));

        services.TryAddSingleton(sp => new InMemoryScheduleStore(sp.GetRequiredService<IScheduleEvaluator>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new InMemoryExecutionStore(Math.Max(1, sp.GetRequiredService<IOptions<SchedulerOptions>>().Value.InMemoryHistoryLimit), sp.GetRequiredService<InMemoryInstanceLeaseStore>()));
        services.TryAddSingleton<IScheduleStore>(sp => sp.GetRequiredService<InMemoryScheduleStore>());
        services.TryAddSingleton<IExecutionStore>(sp => sp.GetRequiredService<InMemoryExecutionStore>());

        // Writes go to the store the scheduler reads, whichever it is: a host's own IScheduleStore is writable only if it
        // implements the writer. Otherwise the factory yields null, so GetService<IScheduleStoreWriter>() says "read-only".
        services.TryAddSingleton<IScheduleStoreWriter>(sp => (sp.GetRequiredService<IScheduleStore>() as IScheduleStoreWriter)!);
        services.TryAddSingleton<InMemoryInstanceLeaseStore>();
        services.TryAddSingleton<IInstanceLeaseStore>(sp => sp.GetRequiredService<InMemoryInstanceLeaseStore>());
        services.TryAddSingleton<InMemoryRpoStateStore>();
        services.TryAddSingleton<IRpoStateStore>(sp => sp.GetRequiredService<InMemoryRpoStateStore>());
        services.TryAddSingleton<InMemoryPauseStore>();
        services.TryAddSingleton<IPauseStore>(sp => sp.GetRequiredService<InMemoryPauseStore>());
        services.TryAddSingleton<InMemoryAuditSink>();
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<InMemoryAuditSink>());
        services.TryAddSingleton<LeaseFence>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobCreationGate, LeaseFence>(sp => sp.GetRequiredService<LeaseFence>()));
        services.TryAddSingleton<ResilientExecutionStore>();

        services.TryAddSingleton<SlotBoard>();
        services.TryAddSingleton<StartRateLimiter>();
        services.TryAddSingleton<SchedulePreviewer>();
        services.TryAddSingleton<IRpoForecaster, RpoForecaster>();
        services.TryAddSingleton<RpoTracker>();
        services.TryAddSingleton<RpoBoard>();
        services.TryAddSingleton<RpoHistory>();
        services.TryAddSingleton<ExecutionEvents>();
        services.TryAddSingleton<SchedulerHealth>();
        services.TryAddSingleton(sp => new SchedulerTelemetry(
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), () => sp.GetRequiredService<SlotBoard>().InUse,
            sp.GetRequiredService<RpoTracker>(), sp.GetRequiredService<SchedulerHealth>(), sp.GetService<TimeProvider>(), sp.GetRequiredService<RpoBoard>()));
        services.TryAddSingleton<PauseBook>();
        services.TryAddSingleton<IPauseControl, PauseControl>();
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<ReplicationScheduler>();
        services.TryAddSingleton<IReplicationScheduler>(sp => sp.GetRequiredService<ReplicationScheduler>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReplicationScheduler>());
        return builder;
    }

    private sealed class SchedulingMarker;

    private sealed record Builder(IServiceCollection Services, string ConfigurationSection) : IReplicationSchedulingBuilder;
}
