using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Security;

namespace Replication.Sdk.Http;

/// <summary>
/// Runs one appliance call through its pipeline and turns every way it can end into either a typed result or a typed
/// <see cref="ReplicationException"/>, recording metrics, a trace and a log line on the way.
/// </summary>
internal sealed class ApplianceCallExecutor(ApplianceKind appliance, HttpClient http, long maxResponseBytes, ClientTelemetry telemetry, TimeProvider time, ILogger logger)
{
    public HttpClient Http => http;

    public async Task<T> SendAsync<T>(
        string endpoint,
        ResiliencePipeline pipeline,
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess,
        CancellationToken cancellationToken,
        Func<Exception, Exception?>? mapFailure = null)
    {
        using var activity = ClientTelemetry.StartActivity(appliance, endpoint);
        var started = time.GetTimestamp();
        var state = new CallState();
        var context = AppliancePipelines.RentContext(endpoint, cancellationToken);
        try
        {
            var result = await pipeline.ExecuteAsync(
                async ctx =>
                {
                    using var request = createRequest();
                    // Headers first: the body is read here, within the cap, rather than buffered whole by HttpClient.
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                    state.StatusCode = (int)response.StatusCode;
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await ReadErrorAsync(endpoint, response, ctx.CancellationToken).ConfigureAwait(false);
                    }

                    await ResponseBody.BufferAsync(response, maxResponseBytes, appliance, endpoint, ctx.CancellationToken).ConfigureAwait(false);
                    return await readSuccess(response, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);

            var elapsed = time.GetElapsedTime(started);
            telemetry.RecordCall(appliance, endpoint, state.StatusCode, "success", elapsed, errorType: null);
            activity?.SetTag("http.response.status_code", state.StatusCode);
            Log.CallSucceeded(logger, appliance, endpoint, state.StatusCode ?? 0, (long)elapsed.TotalMilliseconds);
            return result;
        }
        catch (Exception ex)
        {
            var mapped = Map(endpoint, ex, mapFailure, cancellationToken);
            var outcome = Outcome(mapped);
            var elapsed = time.GetElapsedTime(started);
            telemetry.RecordCall(appliance, endpoint, state.StatusCode, outcome, elapsed, mapped.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
            activity?.SetTag("error.type", mapped.GetType().Name);
            if (state.StatusCode is { } code)
            {
                activity?.SetTag("http.response.status_code", code);
            }

            if (mapped is OmaNotFoundException or VmaApiException { Kind: Vma.VmaErrorKind.NotFound })
            {
                // Often an expected answer (a VM never managed, a job already gone): the caller decides whether it is a problem.
                Log.CallNotFound(logger, appliance, endpoint, (long)elapsed.TotalMilliseconds, SafeText.Escape(mapped.Message));
            }
            else if (mapped is not OperationCanceledException)
            {
                Log.CallFailed(logger, appliance, endpoint, outcome, state.StatusCode, (long)elapsed.TotalMilliseconds, SafeText.Escape(mapped.Message));
            }

            if (ReferenceEquals(mapped, ex))
            {
                throw;
            }

            throw mapped;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task<ReplicationException> ReadErrorAsync(string endpoint, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await ResponseBody.ReadErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
        return appliance == ApplianceKind.Vma
            ? ApiErrorParser.Vma(endpoint, response.StatusCode, text)
            : ApiErrorParser.Oma(endpoint, response.StatusCode, text);
    }

    private Exception Map(string endpoint, Exception ex, Func<Exception, Exception?>? mapFailure, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => ex,
        _ when mapFailure?.Invoke(ex) is { } custom => custom,
        ReplicationException => ex,
        TimeoutRejectedException => new ReplicationTransportException(appliance, endpoint, isTimeout: true, ex),
        HttpRequestException when TlsValidationFailedException.TryFind(ex, out var reason) => new ReplicationTlsException(appliance, endpoint, reason, ex),
        HttpRequestException => new ReplicationTransportException(appliance, endpoint, isTimeout: false, ex),
        OperationCanceledException => new ReplicationTransportException(appliance, endpoint, isTimeout: true, ex),
        _ => ex,
    };

    private static string Outcome(Exception ex) => ex switch
    {
        OperationCanceledException => "cancelled",
        ReplicationApiException => "api_error",
        ReplicationTlsException => "tls_error",
        ReplicationTransportException { IsTimeout: true } => "timeout",
        ReplicationTransportException => "transport_error",
        ReplicationResponseFormatException => "format_error",
        ReplicationResponseTooLargeException => "too_large",
        ReplicationOutcomeUnknownException => "outcome_unknown",
        _ => "error",
    };

    private sealed class CallState
    {
        public int? StatusCode { get; set; }
    }
}
