namespace Replication.Sdk.Credentials;

/// <summary>Supplies the OMA credential. The default reads <c>Replication:Oma:Authentication</c>; plug in a secret store with <c>UseOmaCredentialProvider&lt;T&gt;()</c>.</summary>
public interface IOmaCredentialProvider
{
    /// <summary>Gets the credential to use now.</summary>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>The credential.</returns>
    ValueTask<OmaCredential> GetCredentialAsync(CancellationToken cancellationToken);
}
