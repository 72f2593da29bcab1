namespace Replication.Sdk.Scheduling;

/// <summary>How an operator action ended.</summary>
public enum AuditOutcome
{
    /// <summary>The action was carried out.</summary>
    Succeeded,

    /// <summary>The action was refused before it ran (read-only mode, bad input, a missing or paused target).</summary>
    Refused,

    /// <summary>The action was attempted and failed.</summary>
    Failed,
}
