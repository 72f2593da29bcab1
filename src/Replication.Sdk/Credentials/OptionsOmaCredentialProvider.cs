using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;

namespace Replication.Sdk.Credentials;

internal sealed class OptionsOmaCredentialProvider(IOptionsMonitor<OmaClientOptions> options) : IOmaCredentialProvider
{
    public ValueTask<OmaCredential> GetCredentialAsync(CancellationToken cancellationToken)
    {
        var auth = options.CurrentValue.Authentication;
        return ValueTask.FromResult(auth.Mode switch
        {
            OmaAuthenticationMode.BearerToken => OmaCredential.FromBearerToken(auth.BearerToken!),
            OmaAuthenticationMode.Login => OmaCredential.ForLogin(auth.ApplianceId!, auth.LoginToken!),
            _ => OmaCredential.None,
        });
    }
}
