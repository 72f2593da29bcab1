using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>
/// Discovery for a batch of targets (one scheduler execution): one <c>POST /api/v1/discover</c> per (vCenter, datacenter),
/// shared by concurrent callers, reused only while younger than <see cref="ReplicationJobOptions.DiscoveryFreshness"/>.
/// Dispose it when the batch is done; that also cancels discoveries still in flight.
/// </summary>
public interface IDiscoveryScope : IDisposable
{
    /// <summary>Gets how many discovery calls this scope has started.</summary>
    int DiscoveryCount { get; }

    /// <summary>Gets an inventory that contains the target's VM if it exists, discovering only when needed.</summary>
    /// <param name="target">The target.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (a discovery shared with other callers goes on).</param>
    /// <returns>The inventory and when it was discovered.</returns>
    /// <exception cref="ReplicationException">The group's discovery failed; every target of the group gets the same exception.</exception>
    Task<DiscoverySnapshot> GetInventoryAsync(ReplicationTarget target, CancellationToken cancellationToken = default);
}

/// <summary>An inventory and the instant it was discovered.</summary>
/// <param name="Inventory">The inventory.</param>
/// <param name="DiscoveredAt">When the VMA answered.</param>
public sealed record DiscoverySnapshot(VmInventory Inventory, DateTimeOffset DiscoveredAt);

/// <summary>Creates discovery scopes.</summary>
public interface IDiscoveryScopeFactory
{
    /// <summary>Creates a scope planned for these targets: each (vCenter, datacenter) group is discovered once, filtered by the targets' exact names when the list is short.</summary>
    /// <param name="targets">The targets of the batch.</param>
    /// <returns>The scope.</returns>
    IDiscoveryScope CreateScope(IEnumerable<ReplicationTarget> targets);
}
