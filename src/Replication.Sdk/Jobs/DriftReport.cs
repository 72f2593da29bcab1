namespace Replication.Sdk.Jobs;

/// <summary>What changed between the spec the host recorded and the VM as discovered now.</summary>
public sealed record DriftReport
{
    /// <summary>Gets an empty report (no stored spec, or nothing changed).</summary>
    public static DriftReport None { get; } = new();

    /// <summary>Gets the changes, in a stable order.</summary>
    public IReadOnlyList<DriftChange> Changes { get; init; } = [];

    /// <summary>Gets a value indicating whether anything changed.</summary>
    public bool HasChanges => Changes.Count > 0;

    /// <inheritdoc/>
    public override string ToString() => HasChanges ? string.Join("; ", Changes) : "no drift";
}

/// <summary>One change found by the drift report.</summary>
/// <param name="Kind">What kind of change.</param>
/// <param name="Subject">What changed: a disk id, an adapter label, or the VM.</param>
/// <param name="Before">The recorded value.</param>
/// <param name="After">The discovered value.</param>
public sealed record DriftChange(DriftKind Kind, string Subject, string? Before, string? After)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Subject}: {Before ?? "(none)"} -> {After ?? "(none)"}";
}

/// <summary>The kinds of drift.</summary>
public enum DriftKind
{
    /// <summary>The VMware id differs: the VM was replaced by another with the same name.</summary>
    IdentityChanged,

    /// <summary>The inventory path differs (moved or renamed folder).</summary>
    PathChanged,

    /// <summary>The CPU count differs.</summary>
    CpuChanged,

    /// <summary>The memory differs.</summary>
    MemoryChanged,

    /// <summary>The power state differs.</summary>
    PowerStateChanged,

    /// <summary>The OS type differs.</summary>
    OsChanged,

    /// <summary>A disk exists now that was not recorded.</summary>
    DiskAdded,

    /// <summary>A recorded disk is gone.</summary>
    DiskRemoved,

    /// <summary>A disk's capacity differs.</summary>
    DiskResized,

    /// <summary>A disk's backing path differs.</summary>
    DiskRepathed,

    /// <summary>A network adapter exists now that was not recorded.</summary>
    NetworkAdded,

    /// <summary>A recorded network adapter is gone.</summary>
    NetworkRemoved,

    /// <summary>An adapter is connected to a different network.</summary>
    NetworkRemapped,
}
