namespace Replication.Sdk.Testing;

/// <summary>
/// The unlocked window of the real create call between its 409 check and its insert. A create hit by
/// <see cref="FaultKind.CreateRace"/> waits there until another create for the same VM has passed the check too, so both
/// insert a job: the pair meets whatever order the two requests arrive in.
/// </summary>
internal sealed class CreateRace(TimeProvider time)
{
    /// <summary>How long a racing create waits for its partner when the rule sets no <see cref="FaultRule.Latency"/>.</summary>
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _waiting = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Call after a create passed the check: releases a racer waiting for this VM.</summary>
    public void Passed(string vmwareVmId)
    {
        lock (_lock)
        {
            if (_waiting.Remove(vmwareVmId, out var racer))
            {
                racer.TrySetResult();
            }
        }
    }

    /// <summary>Call after a racing create passed the check: waits for a partner (or the window) before the insert.</summary>
    public async Task WaitForPartnerAsync(string vmwareVmId, TimeSpan window, CancellationToken cancellationToken)
    {
        TaskCompletionSource partner;
        lock (_lock)
        {
            if (_waiting.Remove(vmwareVmId, out var other))
            {
                other.TrySetResult();
                return;
            }

            partner = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[vmwareVmId] = partner;
        }

        try
        {
            await partner.Task.WaitAsync(window > TimeSpan.Zero ? window : DefaultWindow, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                if (_waiting.TryGetValue(vmwareVmId, out var waiting) && waiting == partner)
                {
                    _waiting.Remove(vmwareVmId);
                }
            }
        }
    }
}
