namespace Replication.Sdk.Scheduling;

/// <summary>The answer to <see cref="IInstanceLeaseStore.TryAcquireAsync"/>: the lease, or when the live lease of the same id runs out.</summary>
public sealed class LeaseAcquisition
{
    private LeaseAcquisition(InstanceLeaseToken? lease, DateTimeOffset? heldUntil)
    {
        Lease = lease;
        HeldUntil = heldUntil;
    }

    /// <summary>Gets the acquired lease, or <see langword="null"/> when another acquisition of the same instance id still holds it.</summary>
    public InstanceLeaseToken? Lease { get; }

    /// <summary>
    /// Gets when the other holder's lease runs out unless renewed, when <see cref="Lease"/> is <see langword="null"/>. A
    /// later answer with a later time means the holder renewed: it is alive.
    /// </summary>
    public DateTimeOffset? HeldUntil { get; }

    /// <summary>The lease was acquired.</summary>
    /// <param name="lease">The new acquisition.</param>
    /// <returns>The answer.</returns>
    public static LeaseAcquisition Acquired(InstanceLeaseToken lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(lease, null);
    }

    /// <summary>Another acquisition of the same instance id holds a lease that has not expired.</summary>
    /// <param name="heldUntil">When it expires unless renewed.</param>
    /// <returns>The answer.</returns>
    public static LeaseAcquisition Held(DateTimeOffset heldUntil) => new(null, heldUntil);
}
