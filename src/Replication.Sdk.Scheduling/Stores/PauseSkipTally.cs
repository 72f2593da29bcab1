namespace Replication.Sdk.Scheduling;

/// <summary>What <see cref="IPauseStore.RecordSkipAsync"/> did with a skip.</summary>
public enum PauseSkipTally
{
    /// <summary>The pause no longer exists (resumed meanwhile): nothing was counted, the skip does not happen.</summary>
    NotPaused,

    /// <summary>The occurrence was already counted (by another scheduler instance): nothing more to record.</summary>
    AlreadyCounted,

    /// <summary>Counted, and the execution id kept: the caller writes the skip's execution record.</summary>
    Recorded,

    /// <summary>Counted only: the pause is past its cap of kept ids, so no execution record is written.</summary>
    Counted,
}
