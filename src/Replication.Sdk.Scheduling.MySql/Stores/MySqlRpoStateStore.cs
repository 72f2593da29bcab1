using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IRpoStateStore"/> on <c>rsdk_rpo_breaches</c>: one row per breached (schedule, VM), with the last completion
/// it was raised for. Completions are not stored here: they are the SDK's completed outcomes and the appliance's last
/// successful job, read at each breach, so a completion recorded by any instance (or by the OMA itself) is known to all.
/// </summary>
/// <remarks>
/// Recording is two autocommit statements, never one transaction (concurrent gap locks would deadlock): a breach raised
/// for an earlier completion is deleted, then the row is inserted with <c>INSERT IGNORE</c>. Of concurrent recorders with
/// the same last completion only one inserts, and only that one raises.
/// </remarks>
internal sealed class MySqlRpoStateStore(MySqlStoreContext context) : IRpoStateStore
{
    private const string Columns = "schedule_id, context_id, vm_name, rpo_target_seconds, last_completed_at, detected_at";

    public async Task<IReadOnlyList<RpoBreach>> GetBreachesAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = MySqlExecutionStore.Command(connection, null, $"SELECT {Columns} FROM rsdk_rpo_breaches WHERE schedule_id = @schedule", ("@schedule", scheduleId));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var breaches = new List<RpoBreach>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            breaches.Add(new RpoBreach(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), TimeSpan.FromSeconds(reader.GetInt32(3)),
                reader.IsDBNull(4) ? null : Utc(reader.GetDateTime(4)), Utc(reader.GetDateTime(5))));
        }

        return breaches;
    }

    public async Task<RpoBreach?> TryRecordBreachAsync(RpoBreach breach, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // The caller's view may be older than the database's: the later of the two is what the breach is raised for.
        var last = await KnownCompletionAsync(connection, breach.ContextId, cancellationToken).ConfigureAwait(false);
        if (RpoTracker.IsEarlier(last, breach.LastCompletedJobAt))
        {
            last = breach.LastCompletedJobAt;
        }

        if (last is { } l && breach.DetectedAt - l <= breach.RpoTarget)
        {
            return null;
        }

        if (last is { } newer)
        {
            await MySqlExecutionStore.ExecuteAsync(connection, null,
                "DELETE FROM rsdk_rpo_breaches WHERE schedule_id = @schedule AND context_id = @context AND (last_completed_at IS NULL OR last_completed_at < @last)",
                cancellationToken, ("@schedule", breach.ScheduleId), ("@context", breach.ContextId), ("@last", newer.UtcDateTime)).ConfigureAwait(false);
        }

        var inserted = await MySqlExecutionStore.ExecuteAsync(connection, null,
            $"INSERT IGNORE INTO rsdk_rpo_breaches ({Columns}) VALUES (@schedule, @context, @name, @target, @last, @detected)",
            cancellationToken, ("@schedule", breach.ScheduleId), ("@context", breach.ContextId), ("@name", breach.VmName),
            ("@target", (int)Math.Ceiling(breach.RpoTarget.TotalSeconds)), ("@last", last?.UtcDateTime), ("@detected", breach.DetectedAt.UtcDateTime)).ConfigureAwait(false);
        return inserted == 1 ? breach with { LastCompletedJobAt = last } : null;
    }

    public async Task RecordCompletionAsync(string contextId, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contextId);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await MySqlExecutionStore.ExecuteAsync(connection, null,
            "DELETE FROM rsdk_rpo_breaches WHERE context_id = @context AND (last_completed_at IS NULL OR last_completed_at < @at)",
            cancellationToken, ("@context", contextId), ("@at", completedAt.UtcDateTime)).ConfigureAwait(false);
    }

    private static async Task<DateTimeOffset?> KnownCompletionAsync(MySqlConnection connection, string contextId, CancellationToken ct)
    {
        var command = MySqlExecutionStore.Command(connection, null,
            $"SELECT {MySqlLastCompletion.Columns} FROM vm_replication_contexts c WHERE c.context_id = @context", ("@context", contextId));
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? MySqlLastCompletion.Read(reader, 0) : null;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
