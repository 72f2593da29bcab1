namespace Replication.Sdk.Scheduling;

/// <summary>The default <see cref="IAuditSink"/>: keeps the newest records in memory (lost at restart), oldest dropped first.</summary>
public sealed class InMemoryAuditSink : IAuditSink
{
    /// <summary>The number of records kept by default.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly LinkedList<AuditRecord> _records = new();
    private readonly Lock _gate = new();

    /// <summary>Initializes a new instance of the <see cref="InMemoryAuditSink"/> class that keeps <see cref="DefaultCapacity"/> records.</summary>
    public InMemoryAuditSink()
        : this(DefaultCapacity)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryAuditSink"/> class.</summary>
    /// <param name="capacity">How many records to keep, at least 1.</param>
    public InMemoryAuditSink(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Gets how many records are kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the records kept, oldest first.</summary>
    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records.AddLast(record);
            while (_records.Count > Capacity)
            {
                _records.RemoveFirst();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditRecord>>([.. _records.Reverse().Take(limit)]);
        }
    }
}
