using Microsoft.Extensions.Options;
using Replication.Sdk.Vma;

namespace Replication.Sdk.DependencyInjection.Internal;

internal sealed class VmaClientOptionsValidator(string prefix) : IValidateOptions<VmaClientOptions>
{
    public ValidateOptionsResult Validate(string? name, VmaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        OptionsRules.BaseAddress(result, $"{prefix}:BaseAddress", options.BaseAddress, options.AllowInsecureHttp, $"{prefix}:AllowInsecureHttp");
        OptionsRules.Duration(result, $"{prefix}:DiscoveryAttemptTimeout", options.DiscoveryAttemptTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        OptionsRules.Duration(result, $"{prefix}:DiscoveryTotalTimeout", options.DiscoveryTotalTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));
        OptionsRules.Duration(result, $"{prefix}:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        OptionsRules.Range(result, $"{prefix}:MaxRetryAttempts", options.MaxRetryAttempts, 0, 10);
        OptionsRules.Range(result, $"{prefix}:MaxResponseBytes", options.MaxResponseBytes, Vma.VmaConstants.MinMaxResponseBytes, Vma.VmaConstants.MaxMaxResponseBytes);
        OptionsRules.Duration(result, $"{prefix}:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (options.DiscoveryTotalTimeout < options.DiscoveryAttemptTimeout)
        {
            result.AddError($"{prefix}:DiscoveryTotalTimeout ({options.DiscoveryTotalTimeout}) must be at least {prefix}:DiscoveryAttemptTimeout ({options.DiscoveryAttemptTimeout}).");
        }

        for (var i = 0; i < options.VCenters.Count; i++)
        {
            var entry = options.VCenters[i];
            if (string.IsNullOrWhiteSpace(entry.Host))
            {
                result.AddError($"{prefix}:VCenters:{i}:Host is required.");
            }

            if (string.IsNullOrWhiteSpace(entry.Username))
            {
                result.AddError($"{prefix}:VCenters:{i}:Username is required.");
            }

            // The value is never quoted: it is a secret.
            if (string.IsNullOrEmpty(entry.Password))
            {
                result.AddError($"{prefix}:VCenters:{i}:Password is required.");
            }
        }

        var duplicates = options.VCenters.GroupBy(e => e.Host, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var host in duplicates)
        {
            result.AddError($"{prefix}:VCenters lists host '{host}' more than once.");
        }

        OptionsRules.Tls(result, prefix, options.Tls, options.BaseAddress);
        return result.Build();
    }
}
