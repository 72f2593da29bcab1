namespace Replication.Sdk.Scheduling;

/// <summary>
/// A filter and a page over the recorded executions of every schedule, for <see cref="IExecutionStore.QueryAsync"/>. The
/// order is fixed, newest start first and the greater id (ordinal) first on ties, so consecutive pages never overlap or leave a record out
/// while nothing new is recorded. Every filter left <see langword="null"/> (or <see langword="false"/>) matches everything.
/// </summary>
public sealed record ExecutionQuery
{
    /// <summary>The largest <see cref="Take"/> a store accepts.</summary>
    public const int MaxTake = 1000;

    /// <summary>Gets the schedule whose executions are listed, or <see langword="null"/> for every schedule.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>Gets the status an execution must have, or <see langword="null"/>.</summary>
    public ExecutionStatus? Status { get; init; }

    /// <summary>Gets the trigger kind an execution must have, or <see langword="null"/>.</summary>
    public TriggerKind? TriggerKind { get; init; }

    /// <summary>Gets the earliest start (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Gets the start every execution listed began before (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>
    /// Gets a VM an execution must have an outcome for: its context id (exact), or its name (ignoring case); or
    /// <see langword="null"/>.
    /// </summary>
    public string? Vm { get; init; }

    /// <summary>
    /// Gets a value indicating whether only executions that went wrong are listed: status <see cref="ExecutionStatus.Failed"/>
    /// or <see cref="ExecutionStatus.CompletedWithErrors"/>, or at least one VM outcome that is a failure (<see cref="VmOutcome.IsFailure"/>).
    /// </summary>
    public bool FailedOnly { get; init; }

    /// <summary>Gets how many matching executions to pass over before the page starts.</summary>
    /// <value>The default value is 0; never negative.</value>
    public int Skip { get; init; }

    /// <summary>Gets the most executions the page holds.</summary>
    /// <value>The default value is 50; 1 to <see cref="MaxTake"/>.</value>
    public int Take { get; init; } = 50;

    /// <summary>Checks the page bounds and the start range; stores call it before they read.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Skip"/> is negative, <see cref="Take"/> is out of range, or <see cref="StartedFrom"/> is not before <see cref="StartedBefore"/>.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Skip, nameof(Skip));
        ArgumentOutOfRangeException.ThrowIfLessThan(Take, 1, nameof(Take));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Take, MaxTake, nameof(Take));
        if (StartedFrom is { } from && StartedBefore is { } before && from >= before)
        {
            throw new ArgumentOutOfRangeException(nameof(StartedFrom), from, $"StartedFrom ({from:O}) must be before StartedBefore ({before:O}).");
        }
    }

    /// <summary>Tells whether an execution passes the filters (the in-memory store's test, and the contract a database's query follows).</summary>
    /// <param name="execution">The execution.</param>
    /// <returns><see langword="true"/> when every filter matches.</returns>
    public bool Matches(ScheduleExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return (ScheduleId is null || string.Equals(execution.ScheduleId, ScheduleId, StringComparison.Ordinal))
            && (Status is not { } status || execution.Status == status)
            && (TriggerKind is not { } trigger || execution.TriggerKind == trigger)
            && (StartedFrom is not { } from || execution.StartedAt >= from)
            && (StartedBefore is not { } before || execution.StartedAt < before)
            && (Vm is not { Length: > 0 } vm || execution.VmOutcomes.Any(o => string.Equals(o.ContextId, vm, StringComparison.Ordinal) || string.Equals(o.VmName, vm, StringComparison.OrdinalIgnoreCase)))
            && (!FailedOnly || execution.Status is ExecutionStatus.Failed or ExecutionStatus.CompletedWithErrors || execution.VmOutcomes.Any(o => o.IsFailure));
    }
}
