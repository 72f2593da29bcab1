using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>
/// Binds options from a configuration section when the host registered an <see cref="IConfiguration"/>. The bind action
/// is strict (unknown keys are an error, so typos do not fall back to defaults) but never sees the child sections that
/// another registration binds (<see cref="BoundConfigurationSection"/>): strictness is per owner, not per subtree.
/// </summary>
internal sealed class BindFromConfiguration<TOptions>(IServiceProvider services, string sectionPath, Action<IConfigurationSection, TOptions> bind) : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        var configuration = services.GetService<IConfiguration>();
        if (configuration is null)
        {
            return;
        }

        var ownedElsewhere = services.GetServices<BoundConfigurationSection>()
            .Where(s => s.OptionsType != typeof(TOptions) && s.Path.Length > sectionPath.Length + 1
                && s.Path.StartsWith(sectionPath + ":", StringComparison.OrdinalIgnoreCase)
                && s.Path.IndexOf(':', sectionPath.Length + 1) < 0)
            .Select(s => s.Path[(sectionPath.Length + 1)..])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var section = configuration.GetSection(sectionPath);
        try
        {
            bind(ownedElsewhere.Count == 0 ? section : new SectionWithoutChildren(section, ownedElsewhere), options);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(sectionPath, typeof(TOptions), [$"{sectionPath}: {ex.Message}"]);
        }
    }
}
