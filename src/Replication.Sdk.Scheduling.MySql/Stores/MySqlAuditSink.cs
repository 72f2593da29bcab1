using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IAuditSink"/> on the appliance database: one <c>rsdk_audit_records</c> row per operator action, shared by
/// every scheduler instance and management host on the database and kept for <see cref="MySqlStoreOptions.AuditRetention"/>.
/// A value longer than its column is cut (and marked with an ellipsis) rather than failing the action it records.
/// </summary>
internal sealed class MySqlAuditSink(MySqlStoreContext context) : IAuditSink
{
    private const string Columns = "record_id, recorded_at, principal, action, target, outcome, detail, execution_id, channel";

    /// <summary>The largest <c>limit</c> one read accepts, so a listing never pulls the whole log.</summary>
    internal const int MaxLimit = 10_000;

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // IGNORE on the key alone: a write retried after a lost acknowledgement leaves the one row it wrote.
        await MySqlExecutionStore.ExecuteAsync(connection, null,
            $"INSERT INTO rsdk_audit_records ({Columns}) VALUES (@id, @at, @who, @action, @target, @outcome, @detail, @execution, @channel) ON DUPLICATE KEY UPDATE record_id = record_id",
            cancellationToken,
            ("@id", MySqlText.Cut(record.Id, 64)), ("@at", record.At.UtcDateTime), ("@who", MySqlText.Cut(record.Principal, 255)), ("@action", MySqlText.Cut(record.Action, 32)),
            ("@target", MySqlText.Cut(record.Target, 512)), ("@outcome", record.Outcome.ToString()), ("@detail", record.Detail is null ? null : MySqlText.Cut(record.Detail, 16_000)),
            ("@execution", record.ExecutionId is null ? null : MySqlText.Cut(record.ExecutionId, 64)), ("@channel", MySqlText.Cut(record.Channel, 32))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = MySqlExecutionStore.Command(connection, null,
            $"SELECT {Columns} FROM rsdk_audit_records ORDER BY recorded_at DESC, record_id DESC LIMIT @limit", ("@limit", limit));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var records = new List<AuditRecord>(Math.Min(limit, 256));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    private static AuditRecord Read(MySqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        At = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
        Principal = reader.GetString(2),
        Action = reader.GetString(3),
        Target = reader.GetString(4),
        Outcome = Enum.Parse<AuditOutcome>(reader.GetString(5)),
        Detail = reader.IsDBNull(6) ? null : reader.GetString(6),
        ExecutionId = reader.IsDBNull(7) ? null : reader.GetString(7),
        Channel = reader.GetString(8),
    };
}
