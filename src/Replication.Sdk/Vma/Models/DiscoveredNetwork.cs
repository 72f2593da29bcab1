namespace Replication.Sdk.Vma;

/// <summary>One network adapter of a discovered VM.</summary>
/// <remarks>The VMA sends no <c>name</c> for adapters; only the OMA model has one.</remarks>
public sealed record DiscoveredNetwork
{
    /// <summary>Gets the adapter label, e.g. <c>Network adapter 1</c>.</summary>
    public string Label { get => field ?? ""; init; } = "";

    /// <summary>
    /// Gets the port-group name, or an opaque fallback the VMA builds when it cannot resolve one
    /// (<c>STD-REF-…</c>, <c>DVS-…</c>, <c>NSX-…</c>, <c>ERROR-…</c>).
    /// </summary>
    public string NetworkName { get => field ?? ""; init; } = "";

    /// <summary>Gets the adapter type: <c>vmxnet3</c>, <c>e1000</c>, <c>e1000e</c> or <c>unknown</c>.</summary>
    public string AdapterType { get => field ?? ""; init; } = "";

    /// <summary>Gets the MAC address.</summary>
    public string MacAddress { get => field ?? ""; init; } = "";

    /// <summary>Gets a value indicating whether the adapter is connected now.</summary>
    public bool Connected { get; init; }

    /// <summary>Gets the <c>type</c> field (always empty on the VMA).</summary>
    public string Type { get => field ?? ""; init; } = "";
}
