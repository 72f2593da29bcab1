using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>Checks <see cref="ReplicationSchedulingApiOptions"/> at start: a policy is required (no anonymous default) and the limits are in range.</summary>
internal sealed class ReplicationSchedulingApiOptionsValidator : IValidateOptions<ReplicationSchedulingApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicationSchedulingApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.AuthorizationPolicy))
        {
            result.AddError("AuthorizationPolicy is required: name the policy an operator must satisfy (the API and dashboard have no anonymous mode).");
        }

        if (options.NextOccurrences is < 1 or > 50)
        {
            result.AddError($"NextOccurrences must be between 1 and 50; was {options.NextOccurrences}.");
        }

        if (options.MaxPageSize is < 1 or > 1000)
        {
            result.AddError($"MaxPageSize must be between 1 and 1000; was {options.MaxPageSize}.");
        }

        if (options.VmHistoryLimit is < 10 or > 100_000)
        {
            result.AddError($"VmHistoryLimit must be between 10 and 100000; was {options.VmHistoryLimit}.");
        }

        return result.Build();
    }
}
