namespace Replication.Sdk.Scheduling;

/// <summary>
/// The RPO breach state of scheduled VMs, shared by every scheduler instance on one store and kept across restarts: a
/// breach of a (schedule, VM) is recorded once, so exactly one instance raises it, and it stays raised until a job of that
/// VM completes again. The scheduler keeps only its own recent completions in memory; this store is the truth.
/// </summary>
/// <remarks>
/// A breach is identified by the last completion it was raised for (<see cref="RpoBreach.LastCompletedJobAt"/>): once a
/// newer completion is known, the VM can breach again (and is raised again) when it ages past its target once more.
/// </remarks>
public interface IRpoStateStore
{
    /// <summary>Gets the breaches recorded for a schedule (one read per execution: VMs without a breach cost nothing).</summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The recorded breaches, one per VM at most.</returns>
    Task<IReadOnlyList<RpoBreach>> GetBreachesAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a breach of (<see cref="RpoBreach.ScheduleId"/>, <see cref="RpoBreach.ContextId"/>) unless one is already
    /// recorded for the same or a later completion, or the store knows a completion of the VM that is within the target at
    /// <see cref="RpoBreach.DetectedAt"/>. A conditional insert: of callers recording the same breach at once, exactly one
    /// gets it back.
    /// </summary>
    /// <param name="breach">The breach the caller detected.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>
    /// The breach as recorded, when this call recorded it (the caller raises it), with <see cref="RpoBreach.LastCompletedJobAt"/>
    /// the latest completion the store knows; <see langword="null"/> when not recorded (gets exactly one caller a breach).
    /// </returns>
    Task<RpoBreach?> TryRecordBreachAsync(RpoBreach breach, CancellationToken cancellationToken = default);

    /// <summary>
    /// Notes that a job of a VM completed at <paramref name="completedAt"/>: the VM's breaches raised for an earlier
    /// completion (in every schedule) are cleared, and a later breach recorded for an earlier completion is refused.
    /// </summary>
    /// <param name="contextId">The VM context.</param>
    /// <param name="completedAt">When the job completed.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the breaches are cleared.</returns>
    Task RecordCompletionAsync(string contextId, DateTimeOffset completedAt, CancellationToken cancellationToken = default);
}
