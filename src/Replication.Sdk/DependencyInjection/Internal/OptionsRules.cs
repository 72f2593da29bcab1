using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Replication.Sdk.Security;

namespace Replication.Sdk.DependencyInjection.Internal;

/// <summary>Rules shared by the options validators; every message names the configuration key and quotes the value.</summary>
internal static partial class OptionsRules
{
    /// <remarks>
    /// A base address is echoed in messages without its user info, query or fragment: those are where a token or
    /// password would sit (<c>http://user:secret@oma/</c>, <c>?token=…</c>), and this rule refuses them.
    /// </remarks>
    public static void BaseAddress(ValidateOptionsResultBuilder result, string key, Uri? value, bool allowInsecureHttp, string allowInsecureHttpKey)
    {
        if (value is null)
        {
            result.AddError($"{key} is required.");
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"{key} must be an absolute http or https URI; was '{Redacted(value)}'.");
        }
        else if (!string.IsNullOrEmpty(value.UserInfo))
        {
            result.AddError($"{key} must not carry credentials (user:password@ in '{Redacted(value)}'); configure them under Authentication (OMA) or VCenters (VMA).");
        }
        else if (!string.IsNullOrEmpty(value.Query) || !string.IsNullOrEmpty(value.Fragment))
        {
            result.AddError($"{key} must not have a query or fragment (a token there would be sent and logged with every call); was '{Redacted(value)}' with its query and fragment removed.");
        }
        else if (IsInsecureRemote(value) && !allowInsecureHttp)
        {
            result.AddError($"{key} '{Redacted(value)}' is plain http to a host that is not loopback: credentials and tokens would cross the network in clear text. Use https, or set {allowInsecureHttpKey} to true to accept that.");
        }
    }

    /// <summary>Whether <paramref name="value"/> is plain http to a host other than <c>localhost</c>, <c>127.0.0.0/8</c> or <c>::1</c>.</summary>
    public static bool IsInsecureRemote(Uri? value) =>
        value is { IsAbsoluteUri: true } && value.Scheme == Uri.UriSchemeHttp && !value.IsLoopback;

    /// <summary>The address without user info, query or fragment, for messages.</summary>
    public static string Redacted(Uri value)
    {
        if (value.IsAbsoluteUri)
        {
            // Only http and https split off a query; in another scheme's path a "?token=…" would stay.
            var isHttp = value.Scheme == Uri.UriSchemeHttp || value.Scheme == Uri.UriSchemeHttps;
            return $"{value.Scheme}://{value.Authority}{(isHttp ? value.AbsolutePath : "/…")}";
        }

        var text = value.OriginalString;
        var end = text.IndexOfAny(['?', '#']);
        text = end < 0 ? text : text[..end];
        var at = text.LastIndexOf('@');
        return at < 0 ? text : "…@" + text[(at + 1)..];
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
        if (!hasPin && tls.PinnedCertificateSha256 is { Length: > 0 })
        {
            // A pin that is set but blank must not silently mean "no pin".
            result.AddError($"{prefix}:Tls:PinnedCertificateSha256 is set but blank; remove it or give 64 hexadecimal digits.");
        }
        if (tls.PinnedCertificateSkipsValidation && !hasPin)
        {
            result.AddError($"{prefix}:Tls:PinnedCertificateSkipsValidation is true but {prefix}:Tls:PinnedCertificateSha256 is not set.");
        }

        if (tls.PinnedCertificateSkipsValidation && hasCa)
        {
            result.AddError($"{prefix}:Tls:PinnedCertificateSkipsValidation is true, so {prefix}:Tls:CaCertificatePath would never be used; remove one of them.");
        }

        if (!hasCa && !hasPin)
        {
            return;
        }

        if (baseAddress is { IsAbsoluteUri: true } && baseAddress.Scheme != Uri.UriSchemeHttps)
        {
            result.AddError($"{prefix}:Tls is set but {prefix}:BaseAddress '{Redacted(baseAddress)}' is not https.");
        }

        if (hasCa && !File.Exists(tls.CaCertificatePath))
        {
            result.AddError($"{prefix}:Tls:CaCertificatePath '{tls.CaCertificatePath}' does not exist.");
        }
        else if (hasCa && CaProblem(tls.CaCertificatePath!) is { } problem)
        {
            // Read now: a file that holds no certificate would otherwise surface later as an untrusted appliance.
            result.AddError($"{prefix}:Tls:CaCertificatePath '{tls.CaCertificatePath}' {problem}.");
        }

        if (hasPin && !Sha256Hex().IsMatch(TlsCertificateValidation.NormalizeThumbprint(tls.PinnedCertificateSha256!)))
        {
            result.AddError($"{prefix}:Tls:PinnedCertificateSha256 must be 64 hexadecimal digits (colons allowed).");
        }
    }

    private static string? CaProblem(string path)
    {
        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return count == 0 ? "holds no PEM CERTIFICATE" : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"cannot be read as PEM certificates ({ex.GetType().Name})";
        }
    }

    [GeneratedRegex("^[0-9A-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
