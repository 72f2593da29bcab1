namespace Replication.Sdk.Scheduling;

/// <summary>One VM as the RPO planner sees it.</summary>
/// <param name="ContextId">The VM context id.</param>
/// <param name="GroupId">The group it runs in (its first enabled group, as <see cref="VmSelection"/> orders them).</param>
/// <param name="Order">Its place in the selection order (group priority, name, membership priority, added-at): the priority tie-break.</param>
/// <param name="LastCompleted">When its newest job completed; <see langword="null"/>: it has no replica.</param>
/// <param name="Predicted">Its predicted job duration.</param>
/// <param name="Running">Whether a job of it is active now (it holds a slot and is not due).</param>
internal sealed record RpoVm(string ContextId, string GroupId, int Order, DateTimeOffset? LastCompleted, TimeSpan Predicted, bool Running = false)
{
    /// <summary>The instant from which the VM is due: <c>last + R − predicted − margin</c>; <see langword="null"/> (due at once) without a replica.</summary>
    public DateTimeOffset? DueFrom(RpoSettings settings) => LastCompleted is { } last ? last + settings.Target - Predicted - settings.Margin : null;

    /// <summary>Whether the target cannot be met even with jobs back to back: the job alone takes longer than R.</summary>
    public bool Unattainable(RpoSettings settings) => Predicted > settings.Target;
}

/// <summary>A VM due now, with how much room it has left.</summary>
/// <param name="Vm">The VM.</param>
/// <param name="Headroom">R − (age + predicted + margin): ≤ 0 for a VM due by age, positive for one due before a closure; <see cref="TimeSpan.MinValue"/> without a replica.</param>
internal sealed record RpoCandidate(RpoVm Vm, TimeSpan Headroom);

/// <summary>What the planner decided at one instant.</summary>
/// <param name="At">The planning instant.</param>
/// <param name="Due">Every due VM that is not running, least headroom first, then priority.</param>
/// <param name="Start">The prefix-in-order of <paramref name="Due"/> that gets a slot now (empty while closed).</param>
/// <param name="Closed">Why nothing may start now (window, blackout), else <see langword="null"/>.</param>
internal sealed record RpoPlan(DateTimeOffset At, IReadOnlyList<RpoCandidate> Due, IReadOnlyList<RpoCandidate> Start, string? Closed);
