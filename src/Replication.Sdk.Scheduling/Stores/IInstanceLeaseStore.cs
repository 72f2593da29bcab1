namespace Replication.Sdk.Scheduling;

/// <summary>
/// Fenced heartbeat leases of scheduler instances that share one execution store. A live instance renews its lease; when
/// one stops renewing, exactly one survivor claims the expired lease and takes over that instance's running executions.
/// Every acquisition gets a token no other acquisition ever had, and renewals and releases are conditional on it, so a
/// process that resumes after its lease was taken over learns it at its next renewal instead of carrying on.
/// </summary>
/// <remarks>
/// An execution store in the same database should check, in the same transaction as each execution write, that the
/// writer's token is still current (see <see cref="IExecutionStore"/>). Expiry is compared with the caller's clock.
/// </remarks>
public interface IInstanceLeaseStore
{
    /// <summary>
    /// Acquires an instance's lease with a new token, when no lease of that id exists or the existing one expired before
    /// <paramref name="now"/> (its holder stopped renewing: the new acquisition answers for what it left running).
    /// </summary>
    /// <param name="instanceId">The starting instance.</param>
    /// <param name="now">The current time.</param>
    /// <param name="expiresAt">When the new lease lapses unless renewed.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>The lease, or when the live lease of another acquisition of the same id runs out.</returns>
    Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease, if it is still the current acquisition (nobody claimed it since).</summary>
    /// <param name="lease">The acquisition.</param>
    /// <param name="expiresAt">When the lease lapses unless renewed again.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when extended; <see langword="false"/> when the lease was taken over or released.</returns>
    Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the leases of other instances that expired before <paramref name="now"/> and returns them. Each expired lease
    /// is returned to exactly one caller, even when several instances claim at once; a claimant whose own lease is no
    /// longer current, or has itself expired before <paramref name="now"/>, claims nothing.
    /// </summary>
    /// <param name="claimant">The claiming instance's current lease.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">A token to cancel the claim.</param>
    /// <returns>The acquisitions this caller now answers for.</returns>
    /// <exception cref="LeaseLostException">The claimant's own lease is no longer current or has expired.</exception>
    Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes a lease when its instance stops cleanly (nothing of it is left to take over); does nothing if it is no longer current.</summary>
    /// <param name="lease">The acquisition.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the lease is gone.</returns>
    Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default);
}
