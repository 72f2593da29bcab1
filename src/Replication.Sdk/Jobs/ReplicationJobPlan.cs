using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>A job ready to submit: the exact OMA request, built from the VM as discovered at <see cref="DiscoveredAt"/>.</summary>
public sealed record ReplicationJobPlan
{
    /// <summary>Gets the target the plan was built for.</summary>
    public required ReplicationTarget Target { get; init; }

    /// <summary>Gets the exact body of <c>POST /api/v1/replications</c>.</summary>
    public required CreateReplicationRequest Request { get; init; }

    /// <summary>Gets the VM as discovered.</summary>
    public required DiscoveredVm Vm { get; init; }

    /// <summary>Gets when the discovery the plan is built from was made.</summary>
    public required DateTimeOffset DiscoveredAt { get; init; }

    /// <summary>Gets the drift between the target's stored spec and the discovery.</summary>
    public DriftReport Drift { get; init; } = DriftReport.None;

    /// <summary>Gets warnings that do not stop the job (fallback network names, a proceeded identity change).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
