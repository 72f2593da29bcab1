using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The engine's view of the execution store: every call is retried with exponential backoff, so a dropped database
/// connection delays a record instead of losing it. Safe because the store contract makes every call idempotent
/// (a re-sent create of the same execution id keeps the claim it won).
/// </summary>
internal sealed class ResilientExecutionStore : IExecutionStore
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly IExecutionStore _inner;
    private readonly LeaseFence _fence;
    private readonly ResiliencePipeline _pipeline;

    public ResilientExecutionStore(IExecutionStore inner, LeaseFence fence, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<ResilientExecutionStore> logger)
    {
        _inner = inner;
        _fence = fence;
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (o.StoreRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.StoreRetryAttempts,
                Delay = o.StoreRetryDelay,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsRetryable(ex, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    SchedulerLog.StoreRetrying(logger, args.Outcome.Exception, args.Context.OperationKey ?? "?", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>
    /// Contract violations, the SDK's typed errors (a wrong schema, say) and cancellation are not outages; everything else
    /// (I/O, timeouts, deadlocks, a database failing over) may pass.
    /// </summary>
    private static bool IsRetryable(Exception ex, CancellationToken ct) =>
        ex is not (ArgumentException or InvalidOperationException or NotSupportedException or ReplicationException)
        && !(ex is OperationCanceledException && ct.IsCancellationRequested);

    public Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(TryCreateAsync), (s, ct) => s._inner.TryCreateAsync(execution, ct), cancellationToken, execution.LeaseToken);

    public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(UpdateAsync), async (s, ct) => { await s._inner.UpdateAsync(execution, ct).ConfigureAwait(false); return true; }, cancellationToken, execution.LeaseToken);

    public Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(TryTakeOverAsync), (s, ct) => s._inner.TryTakeOverAsync(replacement, expectedLeaseToken, ct), cancellationToken, replacement.LeaseToken);

    public Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RequestStopAsync), (s, ct) => s._inner.RequestStopAsync(executionId, requestedBy, ct), cancellationToken);

    public Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(GetStopRequestAsync), (s, ct) => s._inner.GetStopRequestAsync(executionId, ct), cancellationToken);

    public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(GetAsync), (s, ct) => s._inner.GetAsync(executionId, ct), cancellationToken);

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default) =>
        RunAsync(nameof(GetRunningAsync), (s, ct) => s._inner.GetRunningAsync(ct), cancellationToken);

    public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(GetLastOccurrenceAsync), (s, ct) => s._inner.GetLastOccurrenceAsync(scheduleId, ct), cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastOccurrencesAsync(IReadOnlyCollection<string> scheduleIds, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(GetLastOccurrencesAsync), (s, ct) => s._inner.GetLastOccurrencesAsync(scheduleIds, ct), cancellationToken);

    public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(ListAsync), (s, ct) => s._inner.ListAsync(scheduleId, limit, ct), cancellationToken);

    public Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default) =>
        RunAsync(nameof(QueryAsync), (s, ct) => s._inner.QueryAsync(query, ct), cancellationToken);

    // leaseToken: the lease a write is made under; a refusal of it means that lease (not necessarily the current one) is lost.
    private async Task<T> RunAsync<T>(string operation, Func<ResilientExecutionStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken, string? leaseToken = null)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.call(state.self, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (self: this, call)).ConfigureAwait(false);
        }
        catch (LeaseLostException ex)
        {
            // The store refused a write under this instance's current lease: every execution of it must wind down.
            if (leaseToken is not null && _fence.Current is { } current && string.Equals(current.Token, leaseToken, StringComparison.Ordinal))
            {
                _fence.MarkLost(current, ex.Message);
            }

            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
