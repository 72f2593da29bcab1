using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>Binds options from a configuration section when the host registered an <see cref="IConfiguration"/>; unknown keys are an error.</summary>
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

        var section = configuration.GetSection(sectionPath);
        try
        {
            bind(section, options);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(sectionPath, typeof(TOptions), [$"{sectionPath}: {ex.Message}"]);
        }
    }
}
