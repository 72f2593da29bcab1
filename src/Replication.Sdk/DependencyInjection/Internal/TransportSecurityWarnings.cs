using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Oma;
using Replication.Sdk.Security;
using Replication.Sdk.Vma;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>
/// Logs, when the options are first built (at start, through ValidateOnStart), each opt-in that weakens transport
/// security. A validator is the hook that runs exactly then; it never fails the options.
/// </summary>
internal sealed class TransportSecurityWarnings(ILoggerFactory loggerFactory, string vmaPrefix, string omaPrefix)
    : IValidateOptions<VmaClientOptions>, IValidateOptions<OmaClientOptions>
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<TransportSecurityWarnings>();

    public ValidateOptionsResult Validate(string? name, VmaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Warn(ApplianceKind.Vma, vmaPrefix, options.BaseAddress, options.AllowInsecureHttp, options.Tls);
        return ValidateOptionsResult.Skip;
    }

    public ValidateOptionsResult Validate(string? name, OmaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Warn(ApplianceKind.Oma, omaPrefix, options.BaseAddress, options.AllowInsecureHttp, options.Tls);
        return ValidateOptionsResult.Skip;
    }

    private void Warn(ApplianceKind appliance, string prefix, Uri? baseAddress, bool allowInsecureHttp, ApplianceTlsOptions tls)
    {
        if (allowInsecureHttp && OptionsRules.IsInsecureRemote(baseAddress))
        {
            Log.InsecureHttpAllowed(_logger, appliance, OptionsRules.Redacted(baseAddress!), $"{prefix}:AllowInsecureHttp");
        }

        if (tls.PinnedCertificateSkipsValidation && !string.IsNullOrWhiteSpace(tls.PinnedCertificateSha256))
        {
            Log.PinSkipsValidation(_logger, appliance, $"{prefix}:Tls:PinnedCertificateSkipsValidation");
        }
    }
}
