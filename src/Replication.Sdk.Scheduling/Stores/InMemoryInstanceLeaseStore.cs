namespace Replication.Sdk.Scheduling;

/// <summary>
/// A thread-safe in-memory <see cref="IInstanceLeaseStore"/>, for schedulers that share one process (tests, single hosts).
/// An <see cref="InMemoryExecutionStore"/> built with it checks every write against it, as a database would in one transaction.
/// </summary>
public sealed class InMemoryInstanceLeaseStore : IInstanceLeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Token, DateTimeOffset ExpiresAt)> _leases = new(StringComparer.Ordinal);

    /// <summary>Gets a snapshot of the leases: instance id and expiry.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Leases
    {
        get
        {
            lock (_lock)
            {
                return _leases.ToDictionary(l => l.Key, l => l.Value.ExpiresAt, StringComparer.Ordinal);
            }
        }
    }

    /// <inheritdoc/>
    public Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        lock (_lock)
        {
            if (_leases.TryGetValue(instanceId, out var held) && held.ExpiresAt >= now)
            {
                return Task.FromResult(LeaseAcquisition.Held(held.ExpiresAt));
            }

            var lease = new InstanceLeaseToken(instanceId, NewToken());
            _leases[instanceId] = (lease.Token, expiresAt);
            return Task.FromResult(LeaseAcquisition.Acquired(lease));
        }
    }

    /// <inheritdoc/>
    public Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!IsCurrentLocked(lease))
            {
                return Task.FromResult(false);
            }

            _leases[lease.InstanceId] = (lease.Token, expiresAt);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        lock (_lock)
        {
            if (!IsCurrentLocked(claimant) || _leases[claimant.InstanceId].ExpiresAt < now)
            {
                throw new LeaseLostException(claimant.InstanceId, $"Instance '{claimant.InstanceId}' cannot claim expired leases: its own lease expired or was taken over.");
            }

            var expired = _leases.Where(l => l.Value.ExpiresAt < now && !string.Equals(l.Key, claimant.InstanceId, StringComparison.Ordinal))
                .Select(l => new InstanceLeaseToken(l.Key, l.Value.Token)).ToList();
            foreach (var lease in expired)
            {
                _leases.Remove(lease.InstanceId);
            }

            return Task.FromResult<IReadOnlyList<InstanceLeaseToken>>(expired);
        }
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (IsCurrentLocked(lease))
            {
                _leases.Remove(lease.InstanceId);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Gets a value indicating whether the acquisition still holds its lease (expired but unclaimed still counts: nobody took it).</summary>
    internal bool IsCurrent(InstanceLeaseToken lease)
    {
        lock (_lock)
        {
            return IsCurrentLocked(lease);
        }
    }

    private bool IsCurrentLocked(InstanceLeaseToken lease) =>
        _leases.TryGetValue(lease.InstanceId, out var held) && string.Equals(held.Token, lease.Token, StringComparison.Ordinal);

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
