using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>The default <see cref="IOmaClient"/>: a typed HttpClient over the OMA's REST API.</summary>
internal sealed class OmaClient : IOmaClient
{
    public const string HttpClientName = "Replication.Sdk.Oma";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly ApplianceCallExecutor _executor;
    private readonly OmaPipelines _pipelines;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OmaClient(HttpClient http, OmaPipelines pipelines, ClientTelemetry telemetry, TimeProvider time, ILogger<OmaClient> logger)
    {
        _executor = new ApplianceCallExecutor(ApplianceKind.Oma, http, pipelines.MaxResponseBytes, telemetry, time, logger);
        _pipelines = pipelines;
        _time = time;
        _logger = logger;
    }

    public async Task<CreateReplicationResult> CreateReplicationAsync(CreateReplicationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CreateRequestPreconditions.Check(request);

        const string endpoint = OmaConstants.CreateEndpoint;
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ReplicationJsonContext.Default.CreateReplicationRequest);
        var vm = request.SourceVm;
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();

        var result = await _executor.SendAsync(
            endpoint,
            _pipelines.Create,
            () => new HttpRequestMessage(HttpMethod.Post, "api/v1/replications")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } },
            },
            ReadCreateResultAsync,
            cancellationToken,
            ex => IsOutcomeUnknown(ex) ? OutcomeUnknown(ex) : null).ConfigureAwait(false);

        if (result is ReplicationJobStarted started2)
        {
            Log.JobCreated(_logger, SafeText.Escape(started2.JobId), SafeText.Escape(vm.Name), SafeText.Escape(vm.Id));
        }

        return result;

        Exception OutcomeUnknown(Exception cause)
        {
            Log.CreateOutcomeUnknown(_logger, SafeText.Escape(vm.Name), SafeText.Escape(vm.Id), SafeText.Escape(request.VcenterHost), (long)_time.GetElapsedTime(started).TotalMilliseconds, cause.GetType().Name);
            return new ReplicationOutcomeUnknownException(vm.Name, vm.Id, request.VcenterHost, startedAt, cause);
        }
    }

    public Task<ReplicationJob> GetReplicationJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return ReadAsync(HttpMethod.Get, $"api/v1/replications/{Uri.EscapeDataString(jobId)}", OmaConstants.GetJobEndpoint, _pipelines.Read, ReplicationJsonContext.Default.ReplicationJob, cancellationToken);
    }

    public Task<DeleteReplicationResult> DeleteReplicationJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return ReadAsync(HttpMethod.Delete, $"api/v1/replications/{Uri.EscapeDataString(jobId)}", OmaConstants.DeleteJobEndpoint, _pipelines.NonIdempotent, ReplicationJsonContext.Default.DeleteReplicationResult, cancellationToken);
    }

    public Task<VmContextList> ListVmContextsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(HttpMethod.Get, "api/v1/vm-contexts", OmaConstants.ListContextsEndpoint, _pipelines.Read, ReplicationJsonContext.Default.VmContextList, cancellationToken);

    public Task<VmContextDetails> GetVmContextAsync(string vmName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vmName);
        return ReadAsync(HttpMethod.Get, $"api/v1/vm-contexts/{Uri.EscapeDataString(vmName)}", OmaConstants.GetContextEndpoint, _pipelines.Read, ReplicationJsonContext.Default.VmContextDetails, cancellationToken);
    }

    public Task<RecentJobs> GetRecentJobsAsync(string contextId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contextId);
        return ReadAsync(HttpMethod.Get, $"api/v1/vm-contexts/{Uri.EscapeDataString(contextId)}/recent-jobs", OmaConstants.RecentJobsEndpoint, _pipelines.Read, ReplicationJsonContext.Default.RecentJobs, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        _executor.SendAsync(
            OmaConstants.HealthEndpoint,
            _pipelines.Read,
            () => new HttpRequestMessage(HttpMethod.Get, "health"),
            static (_, _) => Task.FromResult(true),
            cancellationToken);

    /// <summary>
    /// After the request may have left, a dropped connection or a timeout says nothing about whether the OMA created the
    /// job. Only a failure to connect at all proves that nothing was sent. A success status whose body cannot be read
    /// means the job exists but its id is lost; a gateway's 408, 502, 503 or 504 means a proxy gave up on an OMA that
    /// may still be provisioning.
    /// </summary>
    private static bool IsOutcomeUnknown(Exception ex) => ex switch
    {
        ReplicationResponseFormatException or ReplicationResponseTooLargeException => true,
        OmaApiException { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        TimeoutRejectedException => true,
        HttpRequestException http => http.HttpRequestError is not (HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError),
        OperationCanceledException => true,
        _ => false,
    };

    private static async Task<CreateReplicationResult> ReadCreateResultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const string endpoint = OmaConstants.CreateEndpoint;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            CreateReplicationResult? result = null;
            if (root.ValueKind == JsonValueKind.Object && HasString(root, "job_id"))
            {
                result = root.Deserialize(ReplicationJsonContext.Default.ReplicationJobStarted);
            }
            else if (root.ValueKind == JsonValueKind.Object && HasString(root, "context_id"))
            {
                result = root.Deserialize(ReplicationJsonContext.Default.VmAddedToManagement);
            }

            if (result is null)
            {
                throw await ResponseBody.FormatErrorAsync(response, ApplianceKind.Oma, endpoint, "the answer has neither job_id nor context_id", null, cancellationToken).ConfigureAwait(false);
            }

            if (NullValueCheck.Find(result, ReplicationJsonContext.Default.GetTypeInfo(result.GetType())!) is { } path)
            {
                throw await ResponseBody.FormatErrorAsync(response, ApplianceKind.Oma, endpoint, $"null or missing where the API has a value, at {path}", null, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw await ResponseBody.FormatErrorAsync(response, ApplianceKind.Oma, endpoint, ResponseBody.Describe(ex), ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool HasString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;

    private Task<T> ReadAsync<T>(HttpMethod method, string path, string endpoint, ResiliencePipeline pipeline, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        _executor.SendAsync(
            endpoint,
            pipeline,
            () => new HttpRequestMessage(method, path),
            (response, ct) => ResponseBody.ReadJsonAsync(response, typeInfo, ApplianceKind.Oma, endpoint, ct),
            cancellationToken);
}

/// <summary>The OMA pipelines, built once from the validated options.</summary>
internal sealed class OmaPipelines
{
    public OmaPipelines(IOptions<OmaClientOptions> options, TimeProvider time, ClientTelemetry telemetry, ILogger<OmaClient> logger)
    {
        var o = options.Value;
        Read = AppliancePipelines.Create(ApplianceKind.Oma, null, o.MaxRetryAttempts, o.RetryBaseDelay, o.RequestTimeout, time, telemetry, logger);
        NonIdempotent = AppliancePipelines.CreateTimeoutOnly(o.RequestTimeout, time);
        Create = AppliancePipelines.CreateTimeoutOnly(o.CreateTimeout, time);
        MaxResponseBytes = o.MaxResponseBytes;
    }

    /// <summary>Gets the cap on an answer read through these pipelines.</summary>
    public long MaxResponseBytes { get; }

    /// <summary>Reads: retried on transient failures.</summary>
    public ResiliencePipeline Read { get; }

    /// <summary>Deletes: a timeout only.</summary>
    public ResiliencePipeline NonIdempotent { get; }

    /// <summary>The job-creating POST: a timeout only, never a retry.</summary>
    public ResiliencePipeline Create { get; }
}
