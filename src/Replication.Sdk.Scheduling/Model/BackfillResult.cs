namespace Replication.Sdk.Scheduling;

/// <summary>What <see cref="IReplicationScheduler.BackfillAsync"/> created: one execution per past occurrence not yet recorded, oldest first.</summary>
public sealed record BackfillResult
{
    /// <summary>The most executions one call creates (<c>maxRuns</c> must be between 1 and this).</summary>
    public const int MaxRuns = 100;

    /// <summary>The most occurrences one call looks at, recorded ones included: a range of a year of minutes is never walked whole.</summary>
    public const int MaxScanned = 1_000;

    /// <summary>Gets the ids of the executions created (trigger kind <see cref="TriggerKind.Backfill"/>), in occurrence order; each runs after the previous one ended.</summary>
    public IReadOnlyList<string> ExecutionIds { get; init; } = [];

    /// <summary>Gets the occurrences in the range that already had a record (run, skipped, missed, or an earlier backfill), so were not run again.</summary>
    public IReadOnlyList<DateTimeOffset> AlreadyRecorded { get; init; } = [];

    /// <summary>
    /// Gets the first occurrence of the range left out because a cap was reached (<c>maxRuns</c> or <see cref="MaxScanned"/>):
    /// backfilling again from it continues. <see langword="null"/> when the range (up to now) was covered.
    /// </summary>
    public DateTimeOffset? NextOccurrence { get; init; }
}
