using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replication.Sdk.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures scheduling registered by <c>AddReplicationScheduling</c>.</summary>
public static class ReplicationSchedulingBuilderExtensions
{
    /// <summary>Replaces the schedule evaluator.</summary>
    /// <typeparam name="TEvaluator">The evaluator type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseScheduleEvaluator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TEvaluator>(this IReplicationSchedulingBuilder builder)
        where TEvaluator : class, IScheduleEvaluator
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IScheduleEvaluator, TEvaluator>());
        return builder;
    }

    /// <summary>Uses the thread-safe in-memory stores (the default). Resolve <see cref="InMemoryScheduleStore"/> to add schedules, groups and VMs.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseInMemoryStores(this IReplicationSchedulingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(sp => sp.GetRequiredService<InMemoryScheduleStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(sp => sp.GetRequiredService<InMemoryExecutionStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore>(sp => sp.GetRequiredService<InMemoryInstanceLeaseStore>()));
        return builder;
    }

    /// <summary>Uses the host's own instance lease store, so several schedulers on one shared execution store take over each other's work.</summary>
    /// <typeparam name="TLeaseStore">The lease store, registered as a singleton; its <c>ClaimExpiredAsync</c> must hand each expired lease to one caller.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseInstanceLeaseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TLeaseStore>(this IReplicationSchedulingBuilder builder)
        where TLeaseStore : class, IInstanceLeaseStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore, TLeaseStore>());
        return builder;
    }

    /// <summary>Uses the host's own stores.</summary>
    /// <typeparam name="TScheduleStore">The schedule store, registered as a singleton.</typeparam>
    /// <typeparam name="TExecutionStore">The execution store, registered as a singleton; its <c>TryCreateAsync</c> must be atomic.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder UseStores<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TScheduleStore,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TExecutionStore>(this IReplicationSchedulingBuilder builder)
        where TScheduleStore : class, IScheduleStore
        where TExecutionStore : class, IExecutionStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IScheduleStore, TScheduleStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore, TExecutionStore>());
        return builder;
    }

    /// <summary>Adds an execution observer (any number may be added).</summary>
    /// <typeparam name="TObserver">The observer, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder AddExecutionObserver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TObserver>(this IReplicationSchedulingBuilder builder)
        where TObserver : class, IExecutionObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionObserver, TObserver>());
        return builder;
    }

    /// <summary>Configures the scheduler options after configuration binding.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration action.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder ConfigureScheduler(this IReplicationSchedulingBuilder builder, Action<SchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.PostConfigure(configure);
        return builder;
    }

    /// <summary>Configures the default cron evaluator (for example <see cref="CronScheduleOptions.DayMatching"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration action.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSchedulingBuilder ConfigureCron(this IReplicationSchedulingBuilder builder, Action<CronScheduleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
