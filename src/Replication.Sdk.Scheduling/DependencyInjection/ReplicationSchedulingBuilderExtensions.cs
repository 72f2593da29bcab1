using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Replication.Sdk.Scheduling.DependencyInjection;

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
