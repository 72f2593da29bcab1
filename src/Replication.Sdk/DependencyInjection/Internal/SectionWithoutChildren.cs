using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>
/// A view of a configuration section without the child sections another package binds. The binder's
/// <c>ErrorOnUnknownConfiguration</c> check enumerates <see cref="GetChildren"/>, so a key the options type does not
/// know is still an error, while <c>Replication:Scheduler:MySql</c> is left to the MySQL store's own (strict) binding.
/// </summary>
internal sealed class SectionWithoutChildren(IConfigurationSection inner, IReadOnlySet<string> excludedKeys) : IConfigurationSection
{
    public string Key => inner.Key;

    public string Path => inner.Path;

    public string? Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }

    public string? this[string key]
    {
        get => inner[key];
        set => inner[key] = value;
    }

    public IEnumerable<IConfigurationSection> GetChildren() => inner.GetChildren().Where(c => !excludedKeys.Contains(c.Key));

    public IChangeToken GetReloadToken() => inner.GetReloadToken();

    public IConfigurationSection GetSection(string key) => inner.GetSection(key);
}
