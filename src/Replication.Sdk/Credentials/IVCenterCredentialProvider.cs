namespace Replication.Sdk.Credentials;

/// <summary>Resolves vCenter credentials per host, so callers of discovery never hold a password.</summary>
/// <remarks>
/// The default implementation reads <c>Replication:Vma:VCenters</c>. Plug in your own secret store with
/// <c>UseVCenterCredentialProvider&lt;T&gt;()</c>. Called once per discovery call; cache inside if the store is slow.
/// </remarks>
public interface IVCenterCredentialProvider
{
    /// <summary>Gets the credentials for a vCenter host.</summary>
    /// <param name="vcenterHost">The vCenter host as used in the discovery request.</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="ReplicationConfigurationException">No credentials are known for the host.</exception>
    ValueTask<VCenterCredential> GetCredentialAsync(string vcenterHost, CancellationToken cancellationToken);
}
