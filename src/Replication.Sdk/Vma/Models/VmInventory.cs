using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Vma;

/// <summary>The response of <c>POST /api/v1/discover</c>: the VMs of one vCenter datacenter as they are now.</summary>
public sealed record VmInventory
{
    /// <summary>Gets the vCenter and datacenter the inventory was read from (the host echoes the request).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("vcenter")]
    public VCenterInfo VCenter { get; init; } = new();

    /// <summary>Gets the discovered VMs, in no particular order. Never null: <c>null</c> on the wire reads as empty.</summary>
    [AllowNull]
    public IReadOnlyList<DiscoveredVm> Vms { get => field; init => field = value ?? []; } = [];
}
