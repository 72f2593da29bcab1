using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Credentials;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Http;

namespace Replication.Sdk.Oma.Authentication;

/// <summary>
/// Adds <c>Authorization: Bearer …</c> to OMA calls. In login mode, a 401 <c>Invalid or expired token</c> (the OMA
/// restarted and lost its sessions) triggers one new login and one replay: safe, because the OMA's auth middleware
/// refused the request before any handler ran.
/// </summary>
internal sealed class OmaAuthenticationHandler(IOmaCredentialProvider credentials, OmaSessionManager sessions, ILogger<OmaAuthenticationHandler> logger)
    : DelegatingHandler
{
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
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var text = await ResponseBody.ReadErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
        var error = ApiErrorParser.ReadOmaBody(text).Error;
        if (!string.Equals(error, OmaConstants.ExpiredTokenError, StringComparison.Ordinal))
        {
            return response;
        }

        Log.SessionRejected(logger, OmaConstants.ExpiredTokenError, request.Method.Method, request.RequestUri?.AbsolutePath ?? "");
        response.Dispose();
        var renewed = await sessions.RenewAsync(credential, session.Generation, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed.Token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
