using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Replication.Sdk.Credentials;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Vma;

/// <summary>The default <see cref="IVmaClient"/>: a typed HttpClient over the VMA's REST API.</summary>
internal sealed class VmaClient : IVmaClient
{
    public const string HttpClientName = "Replication.Sdk.Vma";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly ApplianceCallExecutor _executor;
    private readonly VmaPipelines _pipelines;
    private readonly IVCenterCredentialProvider _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public VmaClient(HttpClient http, VmaPipelines pipelines, IVCenterCredentialProvider credentials, ClientTelemetry telemetry, TimeProvider time, ILogger<VmaClient> logger)
    {
        _executor = new ApplianceCallExecutor(ApplianceKind.Vma, http, pipelines.MaxResponseBytes, telemetry, time, logger);
        _pipelines = pipelines;
        _credentials = credentials;
        _time = time;
        _logger = logger;
    }

    public async Task<VmInventory> DiscoverAsync(DiscoverVmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.VCenterHost, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Datacenter, nameof(request));
        foreach (var term in request.NameFilters)
        {
            if (string.IsNullOrWhiteSpace(term) || term.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Name filter '{term}' is empty or contains a comma; the VMA joins filters with commas.", nameof(request));
            }
        }

        var credential = await _credentials.GetCredentialAsync(request.VCenterHost, cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new VmaDiscoverWireRequest
            {
                Vcenter = request.VCenterHost,
                Username = credential.Username,
                Password = credential.Password,
                Datacenter = request.Datacenter,
                Filter = request.NameFilters.Count == 0 ? null : string.Join(',', request.NameFilters.Select(t => t.Trim())),
            },
            ReplicationJsonContext.Default.VmaDiscoverWireRequest);

        var started = _time.GetTimestamp();
        var inventory = await _executor.SendAsync(
            VmaConstants.DiscoverEndpoint,
            _pipelines.Discovery,
            () => new HttpRequestMessage(HttpMethod.Post, "api/v1/discover")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } },
            },
            (response, ct) => ResponseBody.ReadJsonAsync(response, ReplicationJsonContext.Default.VmInventory, ApplianceKind.Vma, VmaConstants.DiscoverEndpoint, ct),
            cancellationToken).ConfigureAwait(false);

        Log.Discovered(_logger, inventory.Vms.Count, SafeText.Escape(request.Datacenter), SafeText.Escape(request.VCenterHost), (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return inventory;
    }

    public Task<VmaHealth> GetHealthAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/health", VmaConstants.HealthEndpoint, ReplicationJsonContext.Default.VmaHealth, cancellationToken);

    public Task<VmaJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return GetAsync($"api/v1/status/{Uri.EscapeDataString(jobId)}", VmaConstants.StatusEndpoint, ReplicationJsonContext.Default.VmaJobStatus, cancellationToken);
    }

    public Task<VmaProgress> GetProgressAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return GetAsync($"api/v1/progress/{Uri.EscapeDataString(jobId)}", VmaConstants.ProgressEndpoint, ReplicationJsonContext.Default.VmaProgress, cancellationToken);
    }

    private Task<T> GetAsync<T>(string path, string endpoint, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        _executor.SendAsync(
            endpoint,
            _pipelines.Request,
            () => new HttpRequestMessage(HttpMethod.Get, path),
            (response, ct) => ResponseBody.ReadJsonAsync(response, typeInfo, ApplianceKind.Vma, endpoint, ct),
            cancellationToken);
}

/// <summary>The VMA pipelines, built once from the validated options.</summary>
internal sealed class VmaPipelines
{
    public VmaPipelines(IOptions<VmaClientOptions> options, TimeProvider time, ClientTelemetry telemetry, ILogger<VmaClient> logger)
    {
        var o = options.Value;
        Discovery = AppliancePipelines.Create(ApplianceKind.Vma, o.DiscoveryTotalTimeout, o.MaxRetryAttempts, o.RetryBaseDelay, o.DiscoveryAttemptTimeout, time, telemetry, logger);
        Request = AppliancePipelines.Create(ApplianceKind.Vma, null, o.MaxRetryAttempts, o.RetryBaseDelay, o.RequestTimeout, time, telemetry, logger);
        MaxResponseBytes = o.MaxResponseBytes;
    }

    /// <summary>Gets the cap on an answer read through these pipelines.</summary>
    public long MaxResponseBytes { get; }

    public ResiliencePipeline Discovery { get; }

    public ResiliencePipeline Request { get; }
}
