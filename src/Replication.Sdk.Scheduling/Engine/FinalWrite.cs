using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Writes an execution's final record until it is durable: past the store's own retries (a long outage) it is tried
/// again with pauses growing from 5 s to 1 min while the host runs. Only a stop gives up, after one last try, leaving a
/// running record that the next start or a surviving instance interrupts. A refused lease gives up at once: the record
/// is another instance's now.
/// </summary>
internal static class FinalWrite
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);

    public static async Task UntilDurableAsync(Func<Task> write, string executionId, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await write().ConfigureAwait(false);
                return;
            }
            catch (LeaseLostException)
            {
                // Another instance owns the record now: nothing of this process's may overwrite it.
                SchedulerLog.ExecutionAbandoned(logger, executionId);
                throw;
            }
#pragma warning disable CA1031 // The store is down: the record must still end, so keep trying.
            catch (Exception ex) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                SchedulerLog.FinalWriteFailed(logger, ex, executionId, pause);
            }
            catch (Exception ex)
            {
                SchedulerLog.ExecutionCrashed(logger, ex, executionId);
                throw;
            }

            try
            {
                await Task.Delay(pause, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // One last try, then give up.
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }
}
