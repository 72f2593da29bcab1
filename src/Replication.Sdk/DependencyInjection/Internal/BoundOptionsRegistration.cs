using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>The one way a package registers options bound from a configuration section.</summary>
internal static class BoundOptionsRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/> as validated at start and bound from <paramref name="sectionPath"/>, and
    /// records the section as owned, so the enclosing section's strict binding leaves it alone. Idempotent per section.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="sectionPath">The full section path.</param>
    /// <param name="bind">The strict bind call; written at the call site so the configuration binding generator sees the concrete type.</param>
    public static void AddBoundOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(this IServiceCollection services, string sectionPath, Action<IConfigurationSection, TOptions> bind)
        where TOptions : class
    {
        services.AddOptions<TOptions>().ValidateOnStart();
        var owned = new BoundConfigurationSection(sectionPath, typeof(TOptions));
        if (services.Any(d => d.ServiceType == typeof(BoundConfigurationSection) && Equals(d.ImplementationInstance, owned)))
        {
            return;
        }

        services.AddSingleton(owned);
        services.AddSingleton<IConfigureOptions<TOptions>>(sp => new BindFromConfiguration<TOptions>(sp, sectionPath, bind));
    }

    /// <summary>Fails the binding when <paramref name="key"/> is present but empty: an empty environment variable must not read as "not set".</summary>
    /// <typeparam name="TOptions">The options type being bound.</typeparam>
    /// <param name="section">The section being bound.</param>
    /// <param name="key">The key, relative to the section.</param>
    /// <param name="hint">What to do instead, appended to the message.</param>
    public static void RejectBlank<TOptions>(IConfigurationSection section, string key, string hint)
    {
        var value = section.GetSection(key).Value;
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            var path = $"{section.Path}:{key}";
            throw new OptionsValidationException(path, typeof(TOptions), [$"{path} is set but empty; {hint}."]);
        }
    }
}
