namespace Replication.Sdk.Jobs;

/// <summary>Builds replication jobs from a fresh VMA discovery — never from stored VM specs.</summary>
public interface IReplicationJobBuilder
{
    /// <summary>Discovers the target's VM now (or takes it from <paramref name="scope"/>), selects it exactly, validates it and maps it to the OMA request.</summary>
    /// <param name="target">The target.</param>
    /// <param name="scope">A discovery scope shared by a batch; <see langword="null"/> for one filtered discovery of this target.</param>
    /// <param name="cancellationToken">A token to cancel the build.</param>
    /// <returns>The plan: exact request, discovered VM, drift report and warnings.</returns>
    /// <exception cref="ReplicationJobValidationException">A required setting is missing, or the VM cannot be replicated as it is (no disks, RDM disk…).</exception>
    /// <exception cref="VmNotFoundException">No VM has the target's name.</exception>
    /// <exception cref="VmAmbiguousException">Several VMs have the target's name.</exception>
    /// <exception cref="VmIdentityChangedException">The VM was replaced and the policy is to fail.</exception>
    /// <exception cref="ReplicationException">Discovery failed (see <see cref="Vma.IVmaClient.DiscoverAsync"/>).</exception>
    Task<ReplicationJobPlan> BuildAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default);
}
