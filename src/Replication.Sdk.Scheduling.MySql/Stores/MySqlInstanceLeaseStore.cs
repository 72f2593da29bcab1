using System.Globalization;
using MySqlConnector;

namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// <see cref="IInstanceLeaseStore"/> on <c>rsdk_instance_leases</c>, fenced by a token per acquisition: renewals and
/// releases name it, and an expired lease is claimed by deleting its row on the condition that it still has the same
/// token and is still expired, so the one caller whose DELETE removes the row answers for that acquisition. Expiry is
/// compared with the caller's clock, so instances need synchronised clocks (NTP), as any lease scheme does.
/// </summary>
internal sealed class MySqlInstanceLeaseStore(MySqlStoreContext context) : IInstanceLeaseStore
{
    public async Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var token = Guid.NewGuid().ToString("N");
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);

        // A new row, or an expired one taken with a new token (its holder stopped renewing): one statement each, atomic.
        if (await ExecuteAsync(connection,
                "INSERT IGNORE INTO rsdk_instance_leases (instance_id, token, expires_at, renewed_at) VALUES (@id, @token, @expires, UTC_TIMESTAMP(6))",
                cancellationToken, ("@id", instanceId), ("@token", token), ("@expires", expiresAt.UtcDateTime)).ConfigureAwait(false) == 1
            || await ExecuteAsync(connection,
                "UPDATE rsdk_instance_leases SET token = @token, expires_at = @expires, renewed_at = UTC_TIMESTAMP(6) WHERE instance_id = @id AND expires_at < @now",
                cancellationToken, ("@id", instanceId), ("@token", token), ("@expires", expiresAt.UtcDateTime), ("@now", now.UtcDateTime)).ConfigureAwait(false) == 1)
        {
            return LeaseAcquisition.Acquired(new InstanceLeaseToken(instanceId, token));
        }

        var select = MySqlExecutionStore.Command(connection, null, "SELECT expires_at FROM rsdk_instance_leases WHERE instance_id = @id", ("@id", instanceId));
        await using var selectScope = select.ConfigureAwait(false);
        var held = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return LeaseAcquisition.Held(held is DateTime until ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)) : now);
    }

    public async Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await ExecuteAsync(connection,
            "UPDATE rsdk_instance_leases SET expires_at = @expires, renewed_at = UTC_TIMESTAMP(6) WHERE instance_id = @id AND token = @token",
            cancellationToken, ("@id", lease.InstanceId), ("@token", lease.Token), ("@expires", expiresAt.UtcDateTime)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var mine = MySqlExecutionStore.Command(connection, null,
            "SELECT COUNT(*) FROM rsdk_instance_leases WHERE instance_id = @me AND token = @token AND expires_at >= @now",
            ("@me", claimant.InstanceId), ("@token", claimant.Token), ("@now", now.UtcDateTime));
        await using (mine.ConfigureAwait(false))
        {
            if (Convert.ToInt64(await mine.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                throw new LeaseLostException(claimant.InstanceId, $"Instance '{claimant.InstanceId}' cannot claim expired leases: its own lease expired or was taken over.");
            }
        }

        var candidates = new List<(string Id, string? Token)>();
        var select = MySqlExecutionStore.Command(connection, null,
            "SELECT instance_id, token FROM rsdk_instance_leases WHERE expires_at < @now AND instance_id <> @me ORDER BY instance_id",
            ("@now", now.UtcDateTime), ("@me", claimant.InstanceId));
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        var claimed = new List<InstanceLeaseToken>();
        foreach (var (id, token) in candidates)
        {
            if (await ExecuteAsync(connection,
                    "DELETE FROM rsdk_instance_leases WHERE instance_id = @id AND token <=> @token AND expires_at < @now",
                    cancellationToken, ("@id", id), ("@token", token), ("@now", now.UtcDateTime)).ConfigureAwait(false) == 1)
            {
                // A lease from before tokens existed is claimed as its instance's: its records carry no token either.
                claimed.Add(new InstanceLeaseToken(id, token ?? ""));
            }
        }

        return claimed;
    }

    public async Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await context.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        await ExecuteAsync(connection, "DELETE FROM rsdk_instance_leases WHERE instance_id = @id AND token = @token", cancellationToken,
            ("@id", lease.InstanceId), ("@token", lease.Token)).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var command = MySqlExecutionStore.Command(connection, null, sql, parameters);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
