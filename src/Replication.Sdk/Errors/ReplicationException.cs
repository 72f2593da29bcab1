namespace Replication.Sdk;

/// <summary>The base of every error the SDK raises about an appliance call. Catch it to handle them all.</summary>
/// <remarks>Messages and properties never contain credentials or tokens.</remarks>
public class ReplicationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    public ReplicationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ReplicationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
