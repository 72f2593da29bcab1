namespace Replication.Sdk.Scheduling;

/// <summary>A thread-safe in-memory <see cref="IInstanceLeaseStore"/>, for schedulers that share one process (tests, single hosts).</summary>
public sealed class InMemoryInstanceLeaseStore : IInstanceLeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);

    /// <summary>Gets a snapshot of the leases: instance id and expiry.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Leases
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, DateTimeOffset>(_leases, StringComparer.Ordinal);
            }
        }
    }

    /// <inheritdoc/>
    public Task RenewAsync(string instanceId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        lock (_lock)
        {
            _leases[instanceId] = expiresAt;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ClaimExpiredAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimantId);
        lock (_lock)
        {
            var expired = _leases.Where(l => l.Value < now && !string.Equals(l.Key, claimantId, StringComparison.Ordinal)).Select(l => l.Key).ToList();
            foreach (var id in expired)
            {
                _leases.Remove(id);
            }

            return Task.FromResult<IReadOnlyList<string>>(expired);
        }
    }

    /// <inheritdoc/>
    public Task ReleaseAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _leases.Remove(instanceId);
        }

        return Task.CompletedTask;
    }
}
