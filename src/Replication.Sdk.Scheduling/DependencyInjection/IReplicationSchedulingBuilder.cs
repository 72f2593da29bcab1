namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddReplicationScheduling</c>; extension methods on it configure scheduling and plug in its seams.</summary>
public interface IReplicationSchedulingBuilder
{
    /// <summary>Gets the service collection scheduling is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the root configuration section (<c>Replication</c> by default); the scheduler binds <c>{section}:Scheduler</c>.</summary>
    string ConfigurationSection { get; }
}
