using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Security;

namespace Replication.Sdk.Http;

/// <summary>Builds the Polly pipelines of the clients: total timeout → jittered exponential retry → attempt timeout.</summary>
internal static class AppliancePipelines
{
    private static readonly ResiliencePropertyKey<string> EndpointKey = new("replication.endpoint");

    public static ResiliencePipeline Create(
        ApplianceKind appliance,
        TimeSpan? totalTimeout,
        int maxRetryAttempts,
        TimeSpan retryBaseDelay,
        TimeSpan attemptTimeout,
        TimeProvider timeProvider,
        ClientTelemetry telemetry,
        ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (totalTimeout is { } total)
        {
            builder.AddTimeout(total);
        }

        if (maxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetryAttempts,
                Delay = retryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    var endpoint = args.Context.Properties.GetValue(EndpointKey, "?");
                    telemetry.RecordRetry(appliance, endpoint);
                    Log.Retrying(logger, appliance, endpoint, args.AttemptNumber + 1, Describe(args.Outcome.Exception), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(attemptTimeout);
        return builder.Build();
    }

    /// <summary>Only a timeout: for the job-creating POST, which is never retried.</summary>
    public static ResiliencePipeline CreateTimeoutOnly(TimeSpan timeout, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(timeout).Build();

    public static ResilienceContext RentContext(string endpoint, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(EndpointKey, endpoint);
        return context;
    }

    /// <summary>
    /// Whether a read may go better next time. An unreadable success body counts: a truncated or garbled answer is the
    /// network's or a proxy's doing far more often than the appliance's, and a read changes nothing on the appliance.
    /// A refused certificate is not: the same certificate is refused again, so retrying only repeats handshakes.
    /// </summary>
    public static bool IsTransient(Exception? exception) => exception switch
    {
        HttpRequestException when TlsValidationFailedException.TryFind(exception, out _) => false,
        HttpRequestException => true,
        ReplicationResponseFormatException => true,
        TimeoutRejectedException => true,
        ReplicationApiException api => api.IsTransient,
        _ => false,
    };

    private static string Describe(Exception? exception) => exception switch
    {
        null => "no exception",
        TimeoutRejectedException => "attempt timed out",
        ReplicationResponseFormatException => "unreadable answer",
        ReplicationApiException api => $"status {(int)api.StatusCode}",
        _ => exception.GetType().Name,
    };
}
