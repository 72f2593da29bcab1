namespace Replication.Sdk.Scheduling.MySql;

/// <summary>The database lacks the SDK-owned tables at the version this package needs: a configuration error, never retried. Apply the migrations.</summary>
public sealed class MySqlSchemaException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="MySqlSchemaException"/> class.</summary>
    public MySqlSchemaException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MySqlSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MySqlSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MySqlSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MySqlSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the schema version found, or 0 when the SDK-owned tables do not exist.</summary>
    public int FoundVersion { get; init; }

    /// <summary>Gets the schema version this package needs.</summary>
    public int RequiredVersion { get; init; }
}
