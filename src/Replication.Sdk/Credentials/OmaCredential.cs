using Replication.Sdk.Oma;

namespace Replication.Sdk.Credentials;

/// <summary>How to authenticate to the OMA: nothing, a static bearer token, or a login. Never prints its secret.</summary>
public sealed class OmaCredential
{
    private OmaCredential(OmaAuthenticationMode mode, string? applianceId, string? secret)
    {
        Mode = mode;
        ApplianceId = applianceId;
        Secret = secret;
    }

    /// <summary>Gets the credential for an OMA with authentication disabled.</summary>
    public static OmaCredential None { get; } = new(OmaAuthenticationMode.None, null, null);

    /// <summary>Gets the mode.</summary>
    public OmaAuthenticationMode Mode { get; }

    /// <summary>Gets the appliance id used at login; <see langword="null"/> for other modes.</summary>
    public string? ApplianceId { get; }

    /// <summary>Gets the bearer token or login token. Internal: only the SDK's handler reads it.</summary>
    internal string? Secret { get; }

    /// <summary>Creates a static bearer-token credential.</summary>
    /// <param name="token">The token sent as <c>Authorization: Bearer &lt;token&gt;</c>.</param>
    /// <returns>The credential.</returns>
    public static OmaCredential FromBearerToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new(OmaAuthenticationMode.BearerToken, null, token);
    }

    /// <summary>Creates a login credential.</summary>
    /// <param name="applianceId">The appliance id.</param>
    /// <param name="loginToken">The login token.</param>
    /// <returns>The credential.</returns>
    public static OmaCredential ForLogin(string applianceId, string loginToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applianceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(loginToken);
        return new(OmaAuthenticationMode.Login, applianceId, loginToken);
    }

    /// <inheritdoc/>
    public override string ToString() => Mode switch
    {
        OmaAuthenticationMode.Login => $"OmaCredential {{ Mode = Login, ApplianceId = {ApplianceId}, Token = (redacted) }}",
        OmaAuthenticationMode.BearerToken => "OmaCredential { Mode = BearerToken, Token = (redacted) }",
        _ => "OmaCredential { Mode = None }",
    };
}
