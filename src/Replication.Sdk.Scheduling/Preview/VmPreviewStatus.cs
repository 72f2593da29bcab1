namespace Replication.Sdk.Scheduling;

/// <summary>
/// Whether an execution would take a VM, from the stores alone. A selected VM is still checked against the OMA at run time
/// (an active job, a failover state the OMA reports), which a preview never calls.
/// </summary>
public enum VmPreviewStatus
{
    /// <summary>The execution would submit the VM.</summary>
    Selected,

    /// <summary>The schedule is disabled (<see cref="SkipReason.ScheduleDisabled"/>).</summary>
    ScheduleDisabled,

    /// <summary>The VM context has the scheduler disabled (<see cref="SkipReason.VmDisabled"/>).</summary>
    VmDisabled,

    /// <summary>The VM context is in a failover state (<see cref="SkipReason.VmInFailover"/>).</summary>
    VmInFailover,

    /// <summary>The VM's membership is disabled: it is not a member for this schedule (an execution records nothing for it).</summary>
    NotAMember,

    /// <summary>The VM context is not in the schedule store (<see cref="SkipReason.CheckFailed"/>).</summary>
    ContextMissing,

    /// <summary>The VM's group breaks the schedule rules (<see cref="SkipReason.CheckFailed"/>).</summary>
    GroupInvalid,

    /// <summary>
    /// The VM or its group is paused at the start of the range (<see cref="SkipReason.Paused"/>); a pause with a resume-at
    /// ends inside the range, so see <see cref="OccurrencePreview.PausedVms"/> per occurrence.
    /// </summary>
    Paused,

    /// <summary>The context has no VM name, vCenter or datacenter; an execution records it <see cref="VmOutcomeKind.CreateFailed"/>.</summary>
    NotATarget,
}
