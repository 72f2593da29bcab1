using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IPauseStore"/> on <c>rsdk_pauses</c> (one row per paused target, with its skip count and the last occurrence
/// counted) and <c>rsdk_pause_skips</c> (the kept execution ids, numbered by the count that kept them).
/// </summary>
/// <remarks>
/// A skip is counted by one conditional <c>UPDATE</c> whose new count comes back through <c>LAST_INSERT_ID(expr)</c> on the
/// same connection, so concurrent counters each get their own number and exactly the first <c>cap</c> keep their id; with
/// an occurrence, the condition <c>last_skipped_for &lt; occurrence</c> lets exactly one instance count it.
/// </remarks>
internal sealed class MySqlPauseStore(MySqlStoreContext context) : IPauseStore
{
    private const string Columns = "pause_id, target_kind, target_id, reason, paused_by, paused_at, resume_at, skipped_count, last_skipped_for";

    public async Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default)
    {
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var pauses = await ReadAsync(connection, null, $"SELECT {Columns} FROM rsdk_pauses ORDER BY paused_at, pause_id", cancellationToken).ConfigureAwait(false);
        if (pauses.Count == 0)
        {
            return pauses;
        }

        var skips = await SkipsAsync(connection, null, null, cancellationToken).ConfigureAwait(false);
        return [.. pauses.Select(p => p with { SkippedExecutionIds = skips.TryGetValue(p.Id, out var ids) ? ids : [] })];
    }

    public async Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // A pause resumed between the refused insert and the read lets the next attempt in: a few tries settle it.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var inserted = await MySqlExecutionStore.ExecuteAsync(connection, null,
                $"INSERT IGNORE INTO rsdk_pauses ({Columns}) VALUES (@id, @kind, @target, @reason, @by, @at, @resume, 0, NULL)",
                cancellationToken, ("@id", pause.Id), ("@kind", pause.Target.Kind.ToString()), ("@target", pause.Target.Id), ("@reason", pause.Reason),
                ("@by", MySqlText.Cut(pause.PausedBy, 255)), ("@at", pause.PausedAt.UtcDateTime), ("@resume", pause.ResumeAt?.UtcDateTime)).ConfigureAwait(false);
            if (inserted == 1)
            {
                return null;
            }

            if (await ByTargetAsync(connection, null, pause.Target, lockRow: false, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }
        }

        throw new InvalidOperationException($"The pause of {pause.Target} could neither be added nor read: it is being added and resumed concurrently.");
    }

    public async Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        // The row lock makes one remover the winner: the others find no row once it commits.
        if (await ByTargetAsync(connection, transaction, target, lockRow: true, cancellationToken).ConfigureAwait(false) is not { } pause
            || (pauseId is not null && !string.Equals(pause.Id, pauseId, StringComparison.Ordinal)))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        await MySqlExecutionStore.ExecuteAsync(connection, transaction, "DELETE FROM rsdk_pauses WHERE pause_id = @id", cancellationToken, ("@id", pause.Id)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pause;
    }

    public async Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pauseId);
        ArgumentException.ThrowIfNullOrWhiteSpace(executionId);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var at = occurrence is { } o ? (object)MySqlExecutionStore.Second(o) : null;
        var counted = await MySqlExecutionStore.ExecuteAsync(connection, null,
            """
            UPDATE rsdk_pauses SET skipped_count = LAST_INSERT_ID(skipped_count + 1), last_skipped_for = COALESCE(@at, last_skipped_for)
            WHERE pause_id = @id AND (@at IS NULL OR last_skipped_for IS NULL OR last_skipped_for < @at)
            """,
            cancellationToken, ("@id", pauseId), ("@at", at)).ConfigureAwait(false);
        if (counted == 0)
        {
            var exists = MySqlExecutionStore.Command(connection, null, "SELECT COUNT(*) FROM rsdk_pauses WHERE pause_id = @id", ("@id", pauseId));
            await using var existsScope = exists.ConfigureAwait(false);
            return Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0
                ? PauseSkipTally.NotPaused
                : PauseSkipTally.AlreadyCounted;
        }

        var read = MySqlExecutionStore.Command(connection, null, "SELECT LAST_INSERT_ID()");
        await using var readScope = read.ConfigureAwait(false);
        var count = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (count > cap)
        {
            return PauseSkipTally.Counted;
        }

        // INSERT ... SELECT: a pause resumed since the count keeps nothing (its report was already taken), and the skip still stands.
        await MySqlExecutionStore.ExecuteAsync(connection, null,
            "INSERT IGNORE INTO rsdk_pause_skips (pause_id, ordinal, execution_id) SELECT pause_id, @ordinal, @execution FROM rsdk_pauses WHERE pause_id = @id",
            cancellationToken, ("@id", pauseId), ("@ordinal", (int)count), ("@execution", executionId)).ConfigureAwait(false);
        return PauseSkipTally.Recorded;
    }

    private static async Task<PauseState?> ByTargetAsync(MySqlConnection connection, MySqlTransaction? transaction, PauseTarget target, bool lockRow, CancellationToken ct)
    {
        var found = await ReadAsync(connection, transaction,
            $"SELECT {Columns} FROM rsdk_pauses WHERE target_kind = @kind AND {MySqlIds.Exact("target_id", "@target")}{(lockRow ? " FOR UPDATE" : "")}", ct,
            ("@kind", target.Kind.ToString()), ("@target", target.Id)).ConfigureAwait(false);
        if (found is not [var pause])
        {
            return null;
        }

        var skips = await SkipsAsync(connection, transaction, pause.Id, ct).ConfigureAwait(false);
        return pause with { SkippedExecutionIds = skips.TryGetValue(pause.Id, out var ids) ? ids : [] };
    }

    private static async Task<List<PauseState>> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, transaction, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var pauses = new List<PauseState>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            pauses.Add(new PauseState
            {
                Id = reader.GetString(0),
                Target = new PauseTarget(Enum.Parse<PauseTargetKind>(reader.GetString(1)), reader.GetString(2)),
                Reason = reader.GetString(3),
                PausedBy = reader.GetString(4),
                PausedAt = Utc(reader.GetDateTime(5)),
                ResumeAt = reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6)),
                SkippedCount = reader.GetInt64(7),
                LastSkippedOccurrence = reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
            });
        }

        return pauses;
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> SkipsAsync(MySqlConnection connection, MySqlTransaction? transaction, string? pauseId, CancellationToken ct)
    {
        var command = pauseId is null
            ? MySqlExecutionStore.Command(connection, transaction, "SELECT pause_id, execution_id FROM rsdk_pause_skips ORDER BY pause_id, ordinal")
            : MySqlExecutionStore.Command(connection, transaction, "SELECT pause_id, execution_id FROM rsdk_pause_skips WHERE pause_id = @id ORDER BY ordinal", ("@id", pauseId));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var skips = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (!skips.TryGetValue(id, out var ids))
            {
                skips[id] = ids = [];
            }

            ids.Add(reader.GetString(1));
        }

        return skips.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value, StringComparer.Ordinal);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
