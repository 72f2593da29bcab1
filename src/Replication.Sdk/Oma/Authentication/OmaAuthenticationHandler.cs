using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Credentials;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;

namespace Replication.Sdk.Oma.Authentication;

/// <summary>
/// Adds <c>Authorization: Bearer …</c> to OMA calls. In login mode, a 401 <c>Invalid or expired token</c> (the OMA
/// restarted and lost its sessions) triggers one shared new login and one replay: safe, because the OMA's auth middleware
/// refused the request before any handler ran. A replay refused again (a newer session lost too) renews and replays
/// again, at most <see cref="MaxRenewalsPerRequest"/> times.
/// </summary>
internal sealed class OmaAuthenticationHandler(IOmaCredentialProvider credentials, OmaSessionManager sessions, ILogger<OmaAuthenticationHandler> logger)
    : DelegatingHandler
{
    /// <summary>
    /// How many session losses one request rides out. Each refusal of a newer session is another OMA restart, so the
    /// request renews and replays again (safe for the same reason as the first replay); the bound stops a session that is
    /// refused as soon as it is made from looping forever. Generous because it is cheap: renewals are shared, so an OMA
    /// refusing every session costs the bound in logins per burst of requests, not per request; and losses cascade (each
    /// one makes every waiting request replay at once, and a replay can meet the next), which a bound of 3 did not ride
    /// out in the long chaos soak.
    /// </summary>
    internal const int MaxRenewalsPerRequest = 8;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credential = await credentials.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        switch (credential.Mode)
        {
            case OmaAuthenticationMode.BearerToken:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Secret);
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            case OmaAuthenticationMode.Login:
                break;

            default:
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var session = await sessions.GetSessionAsync(credential, cancellationToken).ConfigureAwait(false);
        for (var renewals = 0; ; renewals++)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            var path = request.RequestUri?.AbsolutePath ?? "";
            if (renewals == MaxRenewalsPerRequest)
            {
                // Every renewed session was refused again: not a restart to ride out. The client reads this 401 as an
                // OmaAuthenticationException.
                Log.SessionRenewalsExhausted(logger, request.Method.Method, path, renewals);
                return response;
            }

            var text = await ResponseBody.ReadErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
            var error = ApiErrorParser.ReadOmaBody(text).Error;
            if (!ApiErrorParser.IsExpiredToken(error))
            {
                return response;
            }

            // A refusal of a renewed session is a new session loss (another OMA restart), not the same one: renew past the
            // generation this attempt was sent with and replay again. Sessions shared with other callers renew once.
            Log.SessionRejected(logger, OmaConstants.ExpiredTokenError, request.Method.Method, path);
            response.Dispose();
            session = await sessions.RenewAsync(credential, session.Generation, cancellationToken).ConfigureAwait(false);
        }
    }
}
