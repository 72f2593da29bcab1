using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>Nothing to hold: the options type under which the root section's layout is checked at start.</summary>
internal sealed class ConfigurationLayout;

/// <summary>
/// Checks that every child of the root section (<c>Replication</c>) is a section some registered package binds, so
/// <c>Replication:Schedular:…</c>, or <c>Replication:Scheduler:…</c> in a host that never called
/// <c>AddReplicationScheduling</c>, fails at start instead of being ignored.
/// </summary>
internal sealed class ConfigurationLayoutValidator(IServiceProvider services, string rootSection) : IValidateOptions<ConfigurationLayout>
{
    public ValidateOptionsResult Validate(string? name, ConfigurationLayout options)
    {
        var configuration = services.GetService<IConfiguration>();
        if (configuration is null)
        {
            return ValidateOptionsResult.Success;
        }

        var bound = services.GetServices<BoundConfigurationSection>().ToList();
        var known = bound
            .Where(s => s.Path.StartsWith(rootSection + ":", StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Path[(rootSection.Length + 1)..].Split(':')[0])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        var result = new ValidateOptionsResultBuilder();
        foreach (var child in configuration.GetSection(rootSection).GetChildren())
        {
            if (!bound.Any(s => s.Covers(child.Path) || s.Path.StartsWith(child.Path + ":", StringComparison.OrdinalIgnoreCase)))
            {
                result.AddError($"{child.Path} is not a section any registered package reads (known under {rootSection}: {string.Join(", ", known)}); "
                    + "check the spelling, or register the package that reads it (for example AddReplicationScheduling for Scheduler, UseMySqlStores for Scheduler:MySql).");
            }
        }

        return result.Build();
    }
}
