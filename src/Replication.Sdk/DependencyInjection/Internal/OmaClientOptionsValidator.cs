using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;

namespace Replication.Sdk.DependencyInjection.Internal;

internal sealed class OmaClientOptionsValidator : IValidateOptions<OmaClientOptions>
{
    private const string Prefix = "Replication:Oma";

    public ValidateOptionsResult Validate(string? name, OmaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        OptionsRules.BaseAddress(result, $"{Prefix}:BaseAddress", options.BaseAddress);
        OptionsRules.Duration(result, $"{Prefix}:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        OptionsRules.Duration(result, $"{Prefix}:CreateTimeout", options.CreateTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        OptionsRules.Range(result, $"{Prefix}:MaxRetryAttempts", options.MaxRetryAttempts, 0, 10);
        OptionsRules.Range(result, $"{Prefix}:MaxResponseBytes", options.MaxResponseBytes, Oma.OmaConstants.MinMaxResponseBytes, Oma.OmaConstants.MaxMaxResponseBytes);
        OptionsRules.Duration(result, $"{Prefix}:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));

        var auth = options.Authentication;
        var authPrefix = $"{Prefix}:Authentication";
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

        OptionsRules.Tls(result, Prefix, options.Tls, options.BaseAddress);
        return result.Build();
    }
}
