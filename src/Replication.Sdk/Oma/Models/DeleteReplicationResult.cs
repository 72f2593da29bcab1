namespace Replication.Sdk.Oma;

/// <summary>The response of <c>DELETE /api/v1/replications/{id}</c>.</summary>
public sealed record DeleteReplicationResult
{
    /// <summary>Gets the message.</summary>
    public string Message { get => field ?? ""; init; } = "";

    /// <summary>Gets the deleted job id.</summary>
    public string JobId { get => field ?? ""; init; } = "";

    /// <summary>Gets the deletion tracking id (a UUID).</summary>
    public string DeletionTrackingId { get => field ?? ""; init; } = "";

    /// <summary>Gets when the deletion happened.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets what the deletion did.</summary>
    public DeleteOperations Operations { get; init; } = new();

    /// <summary>Gets a warning about volumes that could not be deleted, if any.</summary>
    public string? VolumeDeletionWarning { get; init; }
}

/// <summary>What a job deletion did.</summary>
public sealed record DeleteOperations
{
    /// <summary>Gets a value indicating whether the job's volumes were deleted (the OMA sends a boolean, not a count).</summary>
    public bool VolumesDeleted { get; init; }

    /// <summary>Gets a value indicating whether the database rows were cleaned.</summary>
    public bool DatabaseCleaned { get; init; }

    /// <summary>Gets a value indicating whether the job's NBD exports were removed (the OMA sends a boolean, not a count).</summary>
    public bool NbdExportsRemoved { get; init; }
}
