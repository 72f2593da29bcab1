namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>
/// A configuration section that some package binds into <paramref name="OptionsType"/>. Registered once per section, so
/// a strict binding of the enclosing section leaves it to its owner, and the root check knows every section in use.
/// </summary>
/// <param name="Path">The full section path, for example <c>Replication:Scheduler:MySql</c>.</param>
/// <param name="OptionsType">The options type bound from it.</param>
internal sealed record BoundConfigurationSection(string Path, Type OptionsType)
{
    /// <summary>Whether <paramref name="childPath"/> is this section's path or lies under it.</summary>
    public bool Covers(string childPath) =>
        childPath.Equals(Path, StringComparison.OrdinalIgnoreCase)
        || (childPath.Length > Path.Length && childPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase) && childPath[Path.Length] == ':');
}
