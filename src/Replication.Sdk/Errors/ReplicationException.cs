namespace Replication.Sdk;

/// <summary>The base of every error the SDK raises about an appliance call. Catch it to handle them all.</summary>
/// <remarks>
/// Messages and properties never contain credentials or tokens. Control characters in a message (from a VM name or an
/// appliance's text) are escaped (<c>\n</c>, <c>\u001b</c>), so a message is always one line; properties keep the raw values.
/// </remarks>
public class ReplicationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    public ReplicationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ReplicationException(string message)
        : base(Diagnostics.SafeText.Escape(message))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationException(string message, Exception? innerException)
        : base(Diagnostics.SafeText.Escape(message), innerException)
    {
    }
}
