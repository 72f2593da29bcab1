using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Replication.Sdk.Security;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>Rules shared by the options validators; every message names the configuration key and quotes the value.</summary>
internal static partial class OptionsRules
{
    public static void BaseAddress(ValidateOptionsResultBuilder result, string key, Uri? value)
    {
        if (value is null)
        {
            result.AddError($"{key} is required.");
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"{key} must be an absolute http or https URI; was '{value}'.");
        }
        else if (!string.IsNullOrEmpty(value.Query) || !string.IsNullOrEmpty(value.Fragment))
        {
            result.AddError($"{key} must not have a query or fragment; was '{value}'.");
        }
    }

    public static void Duration(ValidateOptionsResultBuilder result, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; was {value}."));
        }
    }

    public static void Range(ValidateOptionsResultBuilder result, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; was {value}."));
        }
    }

    public static void Range(ValidateOptionsResultBuilder result, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; was {value}."));
        }
    }

    public static void Tls(ValidateOptionsResultBuilder result, string prefix, ApplianceTlsOptions tls, Uri? baseAddress)
    {
        var hasCa = !string.IsNullOrWhiteSpace(tls.CaCertificatePath);
        var hasPin = !string.IsNullOrWhiteSpace(tls.PinnedCertificateSha256);
        if (!hasCa && !hasPin)
        {
            return;
        }

        if (hasCa && hasPin)
        {
            result.AddError($"{prefix}:Tls: set either CaCertificatePath or PinnedCertificateSha256, not both.");
        }

        if (baseAddress is { IsAbsoluteUri: true } && baseAddress.Scheme != Uri.UriSchemeHttps)
        {
            result.AddError($"{prefix}:Tls is set but {prefix}:BaseAddress '{baseAddress}' is not https.");
        }

        if (hasCa && !File.Exists(tls.CaCertificatePath))
        {
            result.AddError($"{prefix}:Tls:CaCertificatePath '{tls.CaCertificatePath}' does not exist.");
        }

        if (hasPin && !Sha256Hex().IsMatch(TlsCertificateValidation.NormalizeThumbprint(tls.PinnedCertificateSha256!)))
        {
            result.AddError($"{prefix}:Tls:PinnedCertificateSha256 must be 64 hexadecimal digits (colons allowed).");
        }
    }

    [GeneratedRegex("^[0-9A-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
