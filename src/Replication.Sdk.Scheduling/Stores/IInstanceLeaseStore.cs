namespace Replication.Sdk.Scheduling;

/// <summary>
/// Heartbeat leases of scheduler instances that share one execution store. A live instance renews its lease; when one
/// stops renewing, exactly one survivor claims the expired lease and takes over that instance's running executions.
/// </summary>
public interface IInstanceLeaseStore
{
    /// <summary>Creates or extends an instance's lease.</summary>
    /// <param name="instanceId">The renewing instance.</param>
    /// <param name="expiresAt">When the lease lapses unless renewed again.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the lease is durable.</returns>
    Task RenewAsync(string instanceId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the leases of other instances that expired before <paramref name="now"/> and returns their instance ids. Each
    /// expired lease is returned to exactly one caller, even when several instances claim at once.
    /// </summary>
    /// <param name="claimantId">The claiming instance; its own lease is never claimed.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">A token to cancel the claim.</param>
    /// <returns>The ids of the instances this caller now answers for.</returns>
    Task<IReadOnlyList<string>> ClaimExpiredAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes an instance's lease when it stops cleanly (nothing of it is left to take over).</summary>
    /// <param name="instanceId">The stopping instance.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the lease is gone.</returns>
    Task ReleaseAsync(string instanceId, CancellationToken cancellationToken = default);
}
