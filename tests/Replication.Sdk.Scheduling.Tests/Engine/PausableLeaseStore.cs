namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>One instance's view of the shared lease store whose renewals can be held, as a process paused or cut off from the lease table is.</summary>
internal sealed class PausableLeaseStore(IInstanceLeaseStore inner) : IInstanceLeaseStore
{
    private TaskCompletionSource _resumed = Resumed();

    public int RefusedRenewals { get; private set; }

    public void Pause() => _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _resumed.TrySetResult();

    public Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        inner.TryAcquireAsync(instanceId, now, expiresAt, cancellationToken);

    public async Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await _resumed.Task.WaitAsync(cancellationToken);
        var renewed = await inner.RenewAsync(lease, expiresAt, cancellationToken);
        RefusedRenewals += renewed ? 0 : 1;
        return renewed;
    }

    public Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ClaimExpiredAsync(claimant, now, cancellationToken);

    public Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);

    private static TaskCompletionSource Resumed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
