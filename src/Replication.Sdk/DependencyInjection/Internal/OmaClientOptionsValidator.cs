using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;

namespace Replication.Sdk.DependencyInjection.Internal;

internal sealed class OmaClientOptionsValidator(string prefix) : IValidateOptions<OmaClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OmaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        OptionsRules.BaseAddress(result, $"{prefix}:BaseAddress", options.BaseAddress, options.AllowInsecureHttp, $"{prefix}:AllowInsecureHttp");
        OptionsRules.Duration(result, $"{prefix}:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        OptionsRules.Duration(result, $"{prefix}:CreateTimeout", options.CreateTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        OptionsRules.Range(result, $"{prefix}:MaxRetryAttempts", options.MaxRetryAttempts, 0, 10);
        OptionsRules.Range(result, $"{prefix}:MaxResponseBytes", options.MaxResponseBytes, Oma.OmaConstants.MinMaxResponseBytes, Oma.OmaConstants.MaxMaxResponseBytes);
        OptionsRules.Duration(result, $"{prefix}:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));

        var auth = options.Authentication;
        var authPrefix = $"{prefix}:Authentication";
        switch (auth.Mode)
        {
            case OmaAuthenticationMode.None:
                break;
            case OmaAuthenticationMode.BearerToken:
                if (string.IsNullOrWhiteSpace(auth.BearerToken))
                {
                    result.AddError($"{authPrefix}:BearerToken is required when {authPrefix}:Mode is BearerToken.");
                }

                break;
            case OmaAuthenticationMode.Login:
                if (string.IsNullOrWhiteSpace(auth.ApplianceId))
                {
                    result.AddError($"{authPrefix}:ApplianceId is required when {authPrefix}:Mode is Login.");
                }

                if (string.IsNullOrWhiteSpace(auth.LoginToken))
                {
                    result.AddError($"{authPrefix}:LoginToken is required when {authPrefix}:Mode is Login.");
                }

                OptionsRules.Duration(result, $"{authPrefix}:RefreshBeforeExpiry", auth.RefreshBeforeExpiry, TimeSpan.Zero, TimeSpan.FromHours(1));
                break;
            default:
                result.AddError($"{authPrefix}:Mode must be None, BearerToken or Login; was '{auth.Mode}'.");
                break;
        }

        OptionsRules.Tls(result, prefix, options.Tls, options.BaseAddress);
        return result.Build();
    }
}
