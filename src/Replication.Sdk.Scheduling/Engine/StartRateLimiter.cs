using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// <see cref="SchedulerOptions.MaxStartsPerSecond"/>: a token bucket (System.Threading.RateLimiting) holding one second's
/// worth of starts, refilled by one token every 1/rate seconds on the scheduler's <see cref="TimeProvider"/> rather than
/// the limiter's own wall-clock timer, so a fake clock drives it like every other wait of the engine. The refill timer
/// is armed only while the bucket is not full.
/// </summary>
internal sealed class StartRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter? _bucket;
    private readonly ITimer? _refill;
    private readonly TimeSpan _period;
    private readonly int _limit;
    private readonly Lock _lock = new();
    private bool _armed;

    public StartRateLimiter(IOptions<SchedulerOptions> options, TimeProvider time)
    {
        if (options.Value.MaxStartsPerSecond is not { } rate)
        {
            return;
        }

        _limit = rate;
        _period = TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / rate));
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _period,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _refill = time.CreateTimer(_ => Refill(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits for a start to be allowed; at once when no rate is set.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (_bucket is null)
        {
            return;
        }

        var lease = _bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Arm();
            lease = await _bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        using (lease)
        {
            Arm();
            if (!lease.IsAcquired)
            {
                // Only a queue over int.MaxValue waiters is refused.
                throw new InvalidOperationException("The start-rate limiter refused a start.");
            }
        }
    }

    public void Dispose()
    {
        _refill?.Dispose();
        _bucket?.Dispose();
    }

    private void Arm()
    {
        lock (_lock)
        {
            if (!_armed && _bucket!.GetStatistics()!.CurrentAvailablePermits < _limit)
            {
                _armed = true;
                _refill!.Change(_period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Refill()
    {
        lock (_lock)
        {
            _armed = false;
        }

        _bucket!.TryReplenish();
        Arm();
    }
}
