namespace Replication.Sdk;

/// <summary>The appliance a call went to.</summary>
public enum ApplianceKind
{
    /// <summary>The VMware-side appliance (discovery).</summary>
    Vma,

    /// <summary>The CloudStack-side appliance (replication jobs, VM contexts).</summary>
    Oma,
}
