namespace Replication.Sdk.Vma;

/// <summary>The <c>vcenter</c> block of a discovery response.</summary>
public sealed record VCenterInfo
{
    /// <summary>Gets the vCenter host, as given in the request.</summary>
    public string Host { get => field ?? ""; init; } = "";

    /// <summary>Gets the datacenter name, as given in the request.</summary>
    public string Datacenter { get => field ?? ""; init; } = "";
}
