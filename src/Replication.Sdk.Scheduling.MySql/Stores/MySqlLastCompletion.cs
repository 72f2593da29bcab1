namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Where a VM's last completed job is read from: the appliance's last successful job (when that job row says
/// <c>completed</c>) and the SDK's own completed outcomes. Two columns, the caller takes the later; both are index look-ups.
/// </summary>
internal static class MySqlLastCompletion
{
    /// <summary>The two columns for the <c>vm_replication_contexts</c> row aliased <c>c</c>.</summary>
    public const string Columns =
        """
        (SELECT j.completed_at FROM replication_jobs j WHERE j.id = c.last_successful_job_id AND j.status = 'completed'),
        (SELECT MAX(o.completed_at) FROM rsdk_vm_outcomes o WHERE o.context_id = c.context_id AND o.kind = 'JobCompleted')
        """;

    /// <summary>The later of the two columns at <paramref name="ordinal"/> and the next, or null when neither has a time.</summary>
    public static DateTimeOffset? Read(MySqlConnector.MySqlDataReader reader, int ordinal)
    {
        var appliance = Time(reader, ordinal);
        var sdk = Time(reader, ordinal + 1);
        return RpoTracker.IsEarlier(appliance, sdk) ? sdk : appliance;
    }

    private static DateTimeOffset? Time(MySqlConnector.MySqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
