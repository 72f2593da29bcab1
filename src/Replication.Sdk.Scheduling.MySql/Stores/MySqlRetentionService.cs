using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Runs <see cref="MySqlRetentionSweeper"/> on the injected clock: the first sweep a minute after start (not during it,
/// when the scheduler recovers and loads), then hourly, or a minute later again while a backlog remains. A failed sweep is
/// logged and retried at the next interval: retention is housekeeping and never stops the host.
/// </summary>
internal sealed class MySqlRetentionService(MySqlRetentionSweeper sweeper, MySqlStoreContext context, TimeProvider time, ILogger<MySqlRetentionService> logger)
    : BackgroundService
{
    /// <summary>The delay before the first sweep and between sweeps of a backlog.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromMinutes(1);

    /// <summary>The delay between sweeps once the backlog is cleared; retention is in days, so an hour of slack is nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private ITimer? _timer;

    private bool Off => context.Options.ExecutionRetention == TimeSpan.Zero && context.Options.AuditRetention == TimeSpan.Zero;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Armed here, synchronously: ExecuteAsync runs on a pool thread, and a clock read there could miss time that already passed.
        if (!Off)
        {
            _timer = time.CreateTimer(static s => ((MySqlRetentionService)s!).Wake(), this, Soon, Timeout.InfiniteTimeSpan);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Off)
        {
            MySqlStoreLog.RetentionOff(logger);
            return;
        }

        while (true)
        {
            try
            {
                await _wake.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            RetentionSweep? sweep = null;
            var next = Interval;
            try
            {
                sweep = await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
                next = sweep.Complete ? Interval : Soon;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed sweep only delays housekeeping; the next interval tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                MySqlStoreLog.RetentionSweepFailed(logger, ex, Interval);
            }

            _timer!.Change(next, Timeout.InfiniteTimeSpan);
            sweeper.Swept?.Invoke(sweep);
        }
    }

    private void Wake()
    {
        // One-shot timer, re-armed only after a sweep: there is never a second release pending.
        _wake.Release();
    }
}
