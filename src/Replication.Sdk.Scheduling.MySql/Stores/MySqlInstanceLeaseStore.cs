using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IInstanceLeaseStore"/> on <c>rsdk_instance_leases</c>. An expired lease is claimed by deleting its row on the
/// condition that it is still expired: the one caller whose DELETE removes the row answers for that instance.
/// Expiry is compared with the caller's clock, so instances need synchronised clocks (NTP), as any lease scheme does.
/// </summary>
internal sealed class MySqlInstanceLeaseStore(MySqlStoreContext context) : IInstanceLeaseStore
{
    public async Task RenewAsync(string instanceId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = MySqlExecutionStore.Command(connection, null,
            """
            INSERT INTO rsdk_instance_leases (instance_id, expires_at, renewed_at) VALUES (@id, @expires, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at), renewed_at = VALUES(renewed_at)
            """,
            ("@id", instanceId), ("@expires", expiresAt.UtcDateTime));
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ClaimExpiredAsync(string claimantId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimantId);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var candidates = new List<string>();
        var select = MySqlExecutionStore.Command(connection, null,
            "SELECT instance_id FROM rsdk_instance_leases WHERE expires_at < @now AND instance_id <> @me ORDER BY instance_id",
            ("@now", now.UtcDateTime), ("@me", claimantId));
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(reader.GetString(0));
            }
        }

        var claimed = new List<string>();
        foreach (var candidate in candidates)
        {
            var delete = MySqlExecutionStore.Command(connection, null,
                "DELETE FROM rsdk_instance_leases WHERE instance_id = @id AND expires_at < @now", ("@id", candidate), ("@now", now.UtcDateTime));
            await using var deleteScope = delete.ConfigureAwait(false);
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                claimed.Add(candidate);
            }
        }

        return claimed;
    }

    public async Task ReleaseAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var command = MySqlExecutionStore.Command(connection, null, "DELETE FROM rsdk_instance_leases WHERE instance_id = @id", ("@id", instanceId));
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
