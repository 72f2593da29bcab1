using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.DependencyInjection;

/// <summary>Registers replication scheduling.</summary>
public static class ReplicationSchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default <see cref="IScheduleEvaluator"/> (<see cref="CronScheduleEvaluator"/>, configured through
    /// <see cref="CronScheduleOptions"/>). Calling it again is harmless; replace the evaluator with <c>UseScheduleEvaluator&lt;T&gt;()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to configure scheduling further.</returns>
    public static IReplicationSchedulingBuilder AddReplicationScheduling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<CronScheduleOptions>();
        services.TryAddSingleton<IScheduleEvaluator>(sp => new CronScheduleEvaluator(sp.GetRequiredService<IOptions<CronScheduleOptions>>().Value));
        return new Builder(services);
    }

    private sealed record Builder(IServiceCollection Services) : IReplicationSchedulingBuilder;
}
