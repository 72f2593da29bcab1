using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Credentials;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;
using Replication.Sdk.Security;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Oma.Authentication;

/// <summary>
/// Holds the OMA session token and logs in when there is none, it is about to expire, or the OMA rejected it.
/// One login at a time: concurrent callers wait for it and share its token.
/// </summary>
/// <remarks>
/// Each login starts a new generation. A rejection names the generation it was sent with, not the token: the real OMA
/// hands every login the same constant token, so "is the token still the one that was rejected?" is always true there
/// and would log in once per waiting request.
/// </remarks>
internal sealed class OmaSessionManager : IDisposable
{
    public const string LoginHttpClientName = "Replication.Sdk.Oma.Login";

    /// <summary>Used when the OMA omits <c>expires_at</c>: short enough that a lost session is noticed.</summary>
    private static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromHours(1);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<OmaClientOptions> _options;
    private readonly ClientTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<OmaSessionManager> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Session? _session;
    private long _generation;

    public OmaSessionManager(IHttpClientFactory httpClientFactory, IOptionsMonitor<OmaClientOptions> options, ClientTelemetry telemetry, TimeProvider time, ILogger<OmaSessionManager> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets a valid session, logging in first when needed.</summary>
    public ValueTask<OmaSession> GetSessionAsync(OmaCredential credential, CancellationToken cancellationToken)
    {
        var session = Volatile.Read(ref _session);
        return IsUsable(session, credential)
            ? ValueTask.FromResult(session!.Public)
            : new ValueTask<OmaSession>(RefreshAsync(credential, rejectedGeneration: null, cancellationToken));
    }

    /// <summary>Logs in again because the OMA rejected a session of generation <paramref name="rejectedGeneration"/>, unless another caller already did.</summary>
    public Task<OmaSession> RenewAsync(OmaCredential credential, long rejectedGeneration, CancellationToken cancellationToken) =>
        RefreshAsync(credential, rejectedGeneration, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<OmaSession> RefreshAsync(OmaCredential credential, long? rejectedGeneration, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _session;
            if (IsUsable(current, credential) && (rejectedGeneration is null || current!.Generation > rejectedGeneration))
            {
                return current!.Public;
            }

            var fresh = await LoginAsync(credential, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _session, fresh);
            return fresh.Public;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsUsable(Session? session, OmaCredential credential) =>
        session is not null
        && string.Equals(session.ApplianceId, credential.ApplianceId, StringComparison.Ordinal)
        && _time.GetUtcNow() < session.ExpiresAt - _options.CurrentValue.Authentication.RefreshBeforeExpiry;

    private async Task<Session> LoginAsync(OmaCredential credential, CancellationToken cancellationToken)
    {
        const string endpoint = OmaConstants.LoginEndpoint;
        var options = _options.CurrentValue;
        var http = _httpClientFactory.CreateClient(LoginHttpClientName);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new OmaLoginWireRequest { ApplianceId = credential.ApplianceId!, Token = credential.Secret!, Version = options.Authentication.ClientVersion },
            ReplicationJsonContext.Default.OmaLoginWireRequest);

        using var timeout = new CancellationTokenSource(options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = _time.GetTimestamp();
        int? status = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/login")
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            // Within the cap like every answer; an error (a proxy's page, say) only as far as it is kept.
            string text;
            if (response.IsSuccessStatusCode)
            {
                await ResponseBody.BufferAsync(response, options.MaxResponseBytes, ApplianceKind.Oma, endpoint, linked.Token).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            }
            else
            {
                text = await ResponseBody.ReadErrorTextAsync(response, linked.Token).ConfigureAwait(false) ?? "";
            }

            OmaLoginWireResponse? parsed = null;
            try
            {
                parsed = JsonSerializer.Deserialize(text, ReplicationJsonContext.Default.OmaLoginWireResponse);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                // An error in text form: the parser below keeps it.
            }
            catch (JsonException ex)
            {
                throw new ReplicationResponseFormatException(ApplianceKind.Oma, endpoint, response.StatusCode, "the login answer is not JSON", null, ex);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized || parsed is { Success: false })
            {
                // A refusal that still carries a session token (no "success": true) must not leak it into logs or errors.
                var error = RedactSession(RedactToken(parsed?.ErrorMessage ?? ApiErrorParser.ReadOmaBody(text).Error ?? "login refused", credential), parsed?.SessionToken);
                Log.LoginFailed(_logger, SafeText.Escape(credential.ApplianceId!), status.Value, SafeText.Escape(error));
                throw new OmaAuthenticationException(endpoint, response.StatusCode, error, null, null, ResponseBody.Cap(RedactSession(RedactToken(text, credential), parsed?.SessionToken)));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw ApiErrorParser.Oma(endpoint, response.StatusCode, ResponseBody.Cap(RedactToken(text, credential)));
            }

            if (parsed is null || string.IsNullOrEmpty(parsed.SessionToken))
            {
                throw new ReplicationResponseFormatException(ApplianceKind.Oma, endpoint, response.StatusCode, "the login answer has no session_token", null, null);
            }

            var expiresAt = parsed.ExpiresAt ?? _time.GetUtcNow() + DefaultSessionLifetime;
            _telemetry.RecordCall(ApplianceKind.Oma, endpoint, status, "success", _time.GetElapsedTime(started), null);
            Log.LoggedIn(_logger, credential.ApplianceId!, expiresAt);
            return new Session(credential.ApplianceId, new OmaSession(parsed.SessionToken, ++_generation), expiresAt);
        }
        catch (HttpRequestException ex) when (TlsValidationFailedException.TryFind(ex, out var reason))
        {
            _telemetry.RecordCall(ApplianceKind.Oma, endpoint, status, "tls_error", _time.GetElapsedTime(started), nameof(ReplicationTlsException));
            throw new ReplicationTlsException(ApplianceKind.Oma, endpoint, reason, ex);
        }
        catch (Exception ex) when (ex is not ReplicationException && !cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or OperationCanceledException)
        {
            _telemetry.RecordCall(ApplianceKind.Oma, endpoint, status, "transport_error", _time.GetElapsedTime(started), nameof(ReplicationTransportException));
            throw new ReplicationTransportException(ApplianceKind.Oma, endpoint, ex is OperationCanceledException, ex);
        }
        catch (ReplicationException ex)
        {
            _telemetry.RecordCall(ApplianceKind.Oma, endpoint, status, "api_error", _time.GetElapsedTime(started), ex.GetType().Name);
            throw;
        }
    }

    // An OMA error body never echoes the token, but a proxy's might; the exception must not carry it.
    private static string RedactSession(string text, string? sessionToken) =>
        sessionToken is { Length: > 0 } token ? text.Replace(token, "(redacted)", StringComparison.Ordinal) : text;

    private static string RedactToken(string text, OmaCredential credential) =>
        credential.Secret is { Length: > 0 } secret ? text.Replace(secret, "(redacted)", StringComparison.Ordinal) : text;

    private sealed record Session(string? ApplianceId, OmaSession Public, DateTimeOffset ExpiresAt)
    {
        public long Generation => Public.Generation;

        public override string ToString() => $"Session {{ ApplianceId = {ApplianceId}, Generation = {Generation}, ExpiresAt = {ExpiresAt:O} }}";
    }
}
