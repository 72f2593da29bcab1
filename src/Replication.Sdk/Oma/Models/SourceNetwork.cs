namespace Replication.Sdk.Oma;

/// <summary>One network adapter of an OMA <c>source_vm</c>.</summary>
public sealed record SourceNetwork
{
    /// <summary>Gets the adapter name (the VMA has none; may be empty).</summary>
    public string Name { get => field ?? ""; init; } = "";

    /// <summary>Gets the adapter label.</summary>
    public string Label { get => field ?? ""; init; } = "";

    /// <summary>Gets the port-group name or the VMA's fallback name.</summary>
    public string NetworkName { get => field ?? ""; init; } = "";

    /// <summary>Gets the adapter type.</summary>
    public string AdapterType { get => field ?? ""; init; } = "";

    /// <summary>Gets the MAC address.</summary>
    public string MacAddress { get => field ?? ""; init; } = "";

    /// <summary>Gets a value indicating whether the adapter is connected.</summary>
    public bool Connected { get; init; }

    /// <summary>Gets the adapter type field (empty from the VMA).</summary>
    public string Type { get => field ?? ""; init; } = "";
}
