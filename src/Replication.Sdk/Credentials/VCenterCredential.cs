namespace Replication.Sdk.Credentials;

/// <summary>A vCenter user name and password. <see cref="ToString"/> never shows the password.</summary>
public sealed class VCenterCredential
{
    /// <summary>Initializes a new instance of the <see cref="VCenterCredential"/> class.</summary>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    public VCenterCredential(string username, string password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        Username = username;
        Password = password;
    }

    /// <summary>Gets the user name.</summary>
    public string Username { get; }

    /// <summary>Gets the password.</summary>
    public string Password { get; }

    /// <inheritdoc/>
    public override string ToString() => $"VCenterCredential {{ Username = {Username}, Password = (redacted) }}";
}
