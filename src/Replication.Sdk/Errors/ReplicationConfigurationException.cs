namespace Replication.Sdk;

/// <summary>Something the SDK needs is not configured (for example no vCenter credentials for a host).</summary>
public sealed class ReplicationConfigurationException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationConfigurationException"/> class.</summary>
    /// <param name="message">What is missing and where to set it.</param>
    public ReplicationConfigurationException(string message)
        : base(message)
    {
    }
}
