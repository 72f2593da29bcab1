using Microsoft.Extensions.Options;
using Replication.Sdk.DependencyInjection.Internal;

namespace Replication.Sdk.Scheduling.DependencyInjection;

internal sealed class SchedulerOptionsValidator(string prefix) : IValidateOptions<SchedulerOptions>
{
    internal const int MaxInstanceIdLength = 200;

    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.InstanceId))
        {
            result.AddError($"{prefix}:InstanceId is required.");
        }
        else if (options.InstanceId.Length > MaxInstanceIdLength || options.InstanceId.Any(char.IsControl))
        {
            // Stores key leases and records by it (255 characters in the MySQL schema): a longer id would be cut and collide.
            result.AddError($"{prefix}:InstanceId must be at most {MaxInstanceIdLength} characters without control characters (it is {options.InstanceId.Length} long).");
        }

        if (options.MaxConcurrentJobs is { } max)
        {
            OptionsRules.Range(result, $"{prefix}:MaxConcurrentJobs", max, 1, 100_000);
        }

        OptionsRules.Duration(result, $"{prefix}:DefaultStartingDeadline", options.DefaultStartingDeadline, TimeSpan.Zero, TimeSpan.FromDays(7));
        OptionsRules.Duration(result, $"{prefix}:JobPollInterval", options.JobPollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{prefix}:JobPollMaxInterval", options.JobPollMaxInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        if (options.JobPollMaxInterval < options.JobPollInterval)
        {
            result.AddError($"{prefix}:JobPollMaxInterval ({options.JobPollMaxInterval}) must be at least {prefix}:JobPollInterval ({options.JobPollInterval}).");
        }

        OptionsRules.Range(result, $"{prefix}:CheckParallelism", options.CheckParallelism, 1, 64);
        OptionsRules.Duration(result, $"{prefix}:LeaseDuration", options.LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{prefix}:LeaseRenewInterval", options.LeaseRenewInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        // Compared by halving, not doubling: a huge interval (TimeSpan.MaxValue) must be a validation error, not an overflow.
        if (options.LeaseRenewInterval > options.LeaseDuration / 2)
        {
            result.AddError($"{prefix}:LeaseRenewInterval ({options.LeaseRenewInterval}) must be at most half of {prefix}:LeaseDuration ({options.LeaseDuration}), so one late renewal does not lose the lease.");
        }

        if (options.MaxStartsPerSecond is { } rate)
        {
            OptionsRules.Range(result, $"{prefix}:MaxStartsPerSecond", rate, 1, 10_000);
        }

        OptionsRules.Duration(result, $"{prefix}:RpoMargin", options.RpoMargin, TimeSpan.Zero, TimeSpan.FromDays(1));
        OptionsRules.Duration(result, $"{prefix}:RpoPlanningInterval", options.RpoPlanningInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        OptionsRules.Range(result, $"{prefix}:RpoBytesPerSecond", options.RpoBytesPerSecond, 1, long.MaxValue);
        OptionsRules.Duration(result, $"{prefix}:RpoDurationWithoutHistory", options.RpoDurationWithoutHistory, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        OptionsRules.Range(result, $"{prefix}:MaxPausedSkipRecords", options.MaxPausedSkipRecords, 0, 10_000);
        if (options.AutoPauseAfterFailures is { } failures)
        {
            OptionsRules.Range(result, $"{prefix}:AutoPauseAfterFailures", failures, 1, 100);
        }

        OptionsRules.Range(result, $"{prefix}:InMemoryHistoryLimit", options.InMemoryHistoryLimit, 1, 10_000_000);
        OptionsRules.Range(result, $"{prefix}:StoreRetryAttempts", options.StoreRetryAttempts, 0, 100);
        OptionsRules.Duration(result, $"{prefix}:StoreRetryDelay", options.StoreRetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (string.IsNullOrWhiteSpace(options.ScheduledBy))
        {
            result.AddError($"{prefix}:ScheduledBy is required.");
        }

        return result.Build();
    }
}
