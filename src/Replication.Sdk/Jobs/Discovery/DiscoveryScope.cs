using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

internal sealed class DiscoveryScopeFactory(IServiceProvider services, IOptions<ReplicationJobOptions> options, TimeProvider time) : IDiscoveryScopeFactory
{
    /// <summary>Keeps a filter well inside any URL or body limit a proxy may have.</summary>
    internal const int MaxFilterLength = 2000;

    public IDiscoveryScope CreateScope(IEnumerable<ReplicationTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var o = options.Value;
        var plan = new Dictionary<GroupKey, IReadOnlyList<string>?>();
        foreach (var group in targets.GroupBy(t => new GroupKey(t.VCenterHost, t.Datacenter)))
        {
            var names = group.Select(t => t.VmName).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var filterable = names.Count <= o.MaxFilterNames
                && names.All(n => !n.Contains(',', StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(n))
                && names.Sum(n => n.Length + 1) <= MaxFilterLength;
            plan[group.Key] = filterable ? names : null;
        }

        return new DiscoveryScope(plan, () => services.GetRequiredService<IVmaClient>(), o.DiscoveryFreshness, time);
    }
}

/// <summary>The (vCenter, datacenter) a discovery covers. Host names compare without case; datacenter names as vCenter does.</summary>
internal readonly record struct GroupKey(string VCenterHost, string Datacenter)
{
    public bool Equals(GroupKey other) =>
        string.Equals(VCenterHost, other.VCenterHost, StringComparison.OrdinalIgnoreCase) && string.Equals(Datacenter, other.Datacenter, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(VCenterHost), StringComparer.Ordinal.GetHashCode(Datacenter));
}

internal sealed class DiscoveryScope : IDiscoveryScope
{
    private readonly IReadOnlyDictionary<GroupKey, IReadOnlyList<string>?> _plan;
    private readonly Func<IVmaClient> _vmaFactory;
    private readonly TimeSpan _freshness;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private int _discoveryCount;

    public DiscoveryScope(IReadOnlyDictionary<GroupKey, IReadOnlyList<string>?> plan, Func<IVmaClient> vmaFactory, TimeSpan freshness, TimeProvider time)
    {
        _plan = plan;
        _vmaFactory = vmaFactory;
        _freshness = freshness;
        _time = time;
    }

    public int DiscoveryCount => Volatile.Read(ref _discoveryCount);

    public async Task<DiscoverySnapshot> GetInventoryAsync(ReplicationTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var key = new GroupKey(target.VCenterHost, target.Datacenter);

        // A target the scope was planned for shares its group's discovery; any other gets a discovery of its own.
        IReadOnlyList<string>? filter = _plan.TryGetValue(key, out var planned)
            && (planned is null || planned.Contains(target.VmName, StringComparer.OrdinalIgnoreCase))
            ? planned
            : [target.VmName];
        var entryKey = $"{key.VCenterHost.ToUpperInvariant()}\n{key.Datacenter}\n{(filter is null ? "*" : string.Join(',', filter))}";

        while (true)
        {
            var entry = _entries.GetOrAdd(entryKey, _ => new Entry(this, key, filter));
            if (entry.IsExpired(_time.GetUtcNow(), _freshness))
            {
                // Stale: replace it, unless another caller already did.
                _entries.TryUpdate(entryKey, new Entry(this, key, filter), entry);
                continue;
            }

            return await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
        }

        _disposed.Dispose();
    }

    /// <summary>
    /// One discovery, started at most once (Lazy). Its callers while in flight share its result, success or failure; a
    /// success is then reused until it is stale, a failure not at all: the next caller (a retry) discovers again.
    /// </summary>
    private sealed class Entry
    {
        private readonly Lazy<Task<DiscoverySnapshot>> _task;
        private DateTimeOffset? _completedAt;
        private volatile bool _failed;

        public Entry(DiscoveryScope scope, GroupKey key, IReadOnlyList<string>? filter)
        {
            _task = new Lazy<Task<DiscoverySnapshot>>(() => RunAsync(scope, key, filter), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public Task<DiscoverySnapshot> Task => _task.Value;

        // In flight is never stale: concurrent callers always share it.
        public bool IsExpired(DateTimeOffset now, TimeSpan freshness) => _failed || (_completedAt is { } done && now - done >= freshness);

        private async Task<DiscoverySnapshot> RunAsync(DiscoveryScope scope, GroupKey key, IReadOnlyList<string>? filter)
        {
            Interlocked.Increment(ref scope._discoveryCount);
            try
            {
                var inventory = await scope._vmaFactory().DiscoverAsync(
                    new DiscoverVmsRequest { VCenterHost = key.VCenterHost, Datacenter = key.Datacenter, NameFilters = filter ?? [] },
                    scope._disposed.Token).ConfigureAwait(false);
                var now = scope._time.GetUtcNow();
                _completedAt = now;
                return new DiscoverySnapshot(inventory, now);
            }
            catch
            {
                _completedAt = scope._time.GetUtcNow();
                _failed = true;
                throw;
            }
        }
    }
}
