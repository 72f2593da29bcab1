using Microsoft.Extensions.Options;
using Replication.Sdk.Jobs;

namespace Replication.Sdk.DependencyInjection.Internal;

internal sealed class ReplicationJobOptionsValidator(string prefix) : IValidateOptions<ReplicationJobOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (options.OsseaConfigId is <= 0)
        {
            result.AddError($"{prefix}:OsseaConfigId must be positive; was {options.OsseaConfigId}.");
        }

        if (options.TargetNetwork is not null && string.IsNullOrWhiteSpace(options.TargetNetwork))
        {
            result.AddError($"{prefix}:TargetNetwork must not be blank; leave it unset to require it per target.");
        }

        if (!Enum.IsDefined(options.ReplicationType))
        {
            result.AddError($"{prefix}:ReplicationType must be Auto, Full or Incremental; was '{options.ReplicationType}'.");
        }

        if (!Enum.IsDefined(options.IdentityChangePolicy))
        {
            result.AddError($"{prefix}:IdentityChangePolicy must be Fail or ProceedWithWarning; was '{options.IdentityChangePolicy}'.");
        }

        OptionsRules.Duration(result, $"{prefix}:DiscoveryFreshness", options.DiscoveryFreshness, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionsRules.Range(result, $"{prefix}:MaxFilterNames", options.MaxFilterNames, 1, 500);
        OptionsRules.Duration(result, $"{prefix}:StaleJobThreshold", options.StaleJobThreshold, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        OptionsRules.Duration(result, $"{prefix}:ReconciliationTimeout", options.ReconciliationTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        OptionsRules.Duration(result, $"{prefix}:ReconciliationInitialDelay", options.ReconciliationInitialDelay, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        OptionsRules.Duration(result, $"{prefix}:ClockSkew", options.ClockSkew, TimeSpan.Zero, TimeSpan.FromHours(1));
        return result.Build();
    }
}
