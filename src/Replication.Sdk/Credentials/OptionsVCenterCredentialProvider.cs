using Microsoft.Extensions.Options;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Credentials;

/// <summary>Reads vCenter credentials from <see cref="VmaClientOptions.VCenters"/>; an exact host entry wins over <c>*</c>.</summary>
internal sealed class OptionsVCenterCredentialProvider(IOptionsMonitor<VmaClientOptions> options) : IVCenterCredentialProvider
{
    public ValueTask<VCenterCredential> GetCredentialAsync(string vcenterHost, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vcenterHost);
        var entries = options.CurrentValue.VCenters;
        var entry = entries.FirstOrDefault(e => string.Equals(e.Host, vcenterHost, StringComparison.OrdinalIgnoreCase))
            ?? entries.FirstOrDefault(e => e.Host == "*");
        if (entry is null)
        {
            throw new ReplicationConfigurationException(
                $"No vCenter credentials are configured for host '{vcenterHost}'. Add an entry under Replication:Vma:VCenters (Host, Username, Password) or register an IVCenterCredentialProvider.");
        }

        return ValueTask.FromResult(new VCenterCredential(entry.Username, entry.Password));
    }
}
