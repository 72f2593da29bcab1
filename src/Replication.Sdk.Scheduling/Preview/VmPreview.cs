namespace Replication.Sdk.Scheduling;

/// <summary>A VM of a schedule's groups in a preview: whether an execution would take it and, if not, why.</summary>
public sealed record VmPreview
{
    /// <summary>Gets the VM context id.</summary>
    public required string ContextId { get; init; }

    /// <summary>Gets the VM name (the context id when the store has no context).</summary>
    public required string VmName { get; init; }

    /// <summary>Gets the group it would run in (its first enabled group, or the group of its disabled membership).</summary>
    public required string GroupId { get; init; }

    /// <summary>Gets whether an execution would take the VM, or why not.</summary>
    public VmPreviewStatus Status { get; init; }

    /// <summary>Gets the reason, as an execution's outcome would word it, when the VM would not be taken.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the VM's offset within the schedule's <see cref="ReplicationSchedule.Spread"/> (zero without one).</summary>
    public TimeSpan SpreadOffset { get; init; }

    /// <summary>Gets a value indicating whether an execution would submit the VM (subject to the OMA's checks at run time).</summary>
    public bool IsSelected => Status == VmPreviewStatus.Selected;
}
