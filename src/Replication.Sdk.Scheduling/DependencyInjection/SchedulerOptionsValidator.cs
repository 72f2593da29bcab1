using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection.Internal;

namespace Replication.Sdk.Scheduling.DependencyInjection;

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
