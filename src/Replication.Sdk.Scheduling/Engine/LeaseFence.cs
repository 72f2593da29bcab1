using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// What this process knows of its lease: the current acquisition, when it was last proven current, and whether it was
/// lost. The store refuses a lost lease's writes; this gate also stops a lost lease's job creates, which no store can
/// refuse: a create on behalf of an execution is sent only while the execution's lease is proven current, renewing on
/// the spot when the last proof is old (a process that was paused finds out here, before it sends).
/// </summary>
internal sealed class LeaseFence(IInstanceLeaseStore leases, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<LeaseFence> logger) : IJobCreationGate, IDisposable
{
    private static readonly AsyncLocal<InstanceLeaseToken?> Acting = new();
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private InstanceLeaseToken? _lease;
    private long _provenAt;
    private volatile bool _lost;
    private int _losses;
    private TaskCompletionSource _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets what to call when the lease is lost (the loop wakes to wind down).</summary>
    public Action? OnLost { get; set; }

    /// <summary>Gets the current acquisition, or <see langword="null"/> before one (or after it was lost).</summary>
    public InstanceLeaseToken? Current => _lost ? null : Volatile.Read(ref _lease);

    public bool IsLost => _lost;

    /// <summary>Gets how many times this process lost its lease (for tests and the chaos soak's report).</summary>
    internal int Losses => Volatile.Read(ref _losses);

    /// <summary>Marks the code that follows (an execution's run) as acting for a lease: its creates pass only while that lease holds.</summary>
    public static void ActFor(InstanceLeaseToken? lease) => Acting.Value = lease;

    /// <summary>Completes once a lease is held (at once when it is).</summary>
    public Task WhenAcquired() => Volatile.Read(ref _acquired).Task;

    public void Acquired(InstanceLeaseToken lease, long provenAt)
    {
        Volatile.Write(ref _lease, lease);
        Volatile.Write(ref _provenAt, provenAt);
        _lost = false;
        Volatile.Read(ref _acquired).TrySetResult();
    }

    /// <summary>Renews the current lease; <see langword="false"/> (and the lease marked lost) when the store says it was taken over.</summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        await _renewing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Current is not { } lease)
            {
                return false;
            }

            var started = time.GetTimestamp();
            if (await leases.RenewAsync(lease, time.GetUtcNow() + options.Value.LeaseDuration, ct).ConfigureAwait(false))
            {
                Volatile.Write(ref _provenAt, started);
                return true;
            }

            MarkLost(lease, "the store refused its renewal: another instance claimed it");
            return false;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void MarkLost(InstanceLeaseToken? lease, string why)
    {
        var current = Volatile.Read(ref _lease);
        if (_lost || current is null || (lease is not null && !string.Equals(lease.Token, current.Token, StringComparison.Ordinal)))
        {
            return;
        }

        Interlocked.Exchange(ref _acquired, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _lost = true;
        Interlocked.Increment(ref _losses);
        SchedulerLog.LeaseLost(logger, current.InstanceId, why);
        OnLost?.Invoke();
    }

    public async ValueTask EnsureMaySendAsync(CancellationToken cancellationToken)
    {
        if (Acting.Value is not { } acting)
        {
            return;
        }

        if (Current is not { } current || !string.Equals(current.Token, acting.Token, StringComparison.Ordinal))
        {
            throw Refused(acting);
        }

        // Proven recently enough that no other instance can have claimed it (it expires LeaseDuration after a renewal
        // starts; one renewal interval is kept as margin for clock skew and the time the create takes to leave).
        var o = options.Value;
        if (time.GetElapsedTime(Volatile.Read(ref _provenAt)) < o.LeaseDuration - o.LeaseRenewInterval)
        {
            return;
        }

        if (!await RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            throw Refused(acting);
        }
    }

    public void Dispose() => _renewing.Dispose();

    private static LeaseLostException Refused(InstanceLeaseToken acting) =>
        new(acting.InstanceId, $"the lease of scheduler instance '{acting.InstanceId}' that this execution runs under is no longer current; another instance owns its work");
}
