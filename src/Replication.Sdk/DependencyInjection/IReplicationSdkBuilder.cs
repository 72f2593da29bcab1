namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddReplicationSdk</c>; extension methods on it configure the clients and plug in providers.</summary>
public interface IReplicationSdkBuilder
{
    /// <summary>Gets the service collection the SDK is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the root configuration section the SDK binds (<c>Replication</c> by default).</summary>
    string ConfigurationSection { get; }
}
