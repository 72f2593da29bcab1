using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// <see cref="SchedulerOptions.MaxStartsPerSecond"/>: each start holds one of rate permits of a
/// <see cref="ConcurrencyLimiter"/> (System.Threading.RateLimiting: the queue, its order and cancellation) for one second
/// of the scheduler's <see cref="TimeProvider"/>. So no window of one second, wherever it begins, holds more than the rate,
/// a burst of up to the rate starts at once, and a fake clock drives it like every other wait of the engine.
/// <para>
/// Not the library's replenishing limiters: their <c>TryReplenish</c> measures elapsed time on the real
/// <see cref="System.Diagnostics.Stopwatch"/> (the token bucket adds tokens in proportion to it), so no
/// <see cref="TimeProvider"/> can drive them, and a token bucket of a second's worth lets a burst and the refills after it
/// into one second (up to 2 × rate − 1 starts).
/// </para>
/// </summary>
internal sealed class StartRateLimiter : IDisposable
{
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(1);
    private readonly ConcurrencyLimiter? _permits;
    private readonly TimeProvider _time;

    public StartRateLimiter(IOptions<SchedulerOptions> options, TimeProvider time)
    {
        _time = time;
        if (options.Value.MaxStartsPerSecond is { } rate)
        {
            _permits = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = rate,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    /// <summary>Waits for a start to be allowed; at once when no rate is set.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (_permits is null)
        {
            return;
        }

        var lease = await _permits.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();

            // Only a queue over int.MaxValue waiters, or a disposed limiter (the host stopping), is refused.
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The start-rate limiter refused a start.");
        }

        // The permit comes back one second after the start, whatever becomes of the start itself.
        _ = ReleaseLaterAsync(lease);
    }

    public void Dispose() => _permits?.Dispose();

    private async Task ReleaseLaterAsync(RateLimitLease lease)
    {
        using (lease)
        {
            await Task.Delay(Held, _time).ConfigureAwait(false);
        }
    }
}
