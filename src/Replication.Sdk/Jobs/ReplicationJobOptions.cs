namespace Replication.Sdk.Jobs;

/// <summary>Job builder and submitter settings, bound from configuration section <c>Replication:Jobs</c>.</summary>
public sealed class ReplicationJobOptions
{
    /// <summary>Gets or sets the default OSSEA configuration id (key <c>Replication:Jobs:OsseaConfigId</c>).</summary>
    /// <value>No default: a job without an id here or on its target fails validation.</value>
    public int? OsseaConfigId { get; set; }

    /// <summary>Gets or sets the default target network (key <c>Replication:Jobs:TargetNetwork</c>).</summary>
    /// <value>No default: a job without a network here or on its target fails validation.</value>
    public string? TargetNetwork { get; set; }

    /// <summary>Gets or sets the default replication type (key <c>Replication:Jobs:ReplicationType</c>).</summary>
    /// <value>The default value is <see cref="ReplicationType.Auto"/>.</value>
    public ReplicationType ReplicationType { get; set; } = ReplicationType.Auto;

    /// <summary>Gets or sets what to do when a VM's id no longer matches the recorded one (key <c>Replication:Jobs:IdentityChangePolicy</c>).</summary>
    /// <value>The default value is <see cref="IdentityChangePolicy.Fail"/>.</value>
    public IdentityChangePolicy IdentityChangePolicy { get; set; } = IdentityChangePolicy.Fail;

    /// <summary>Gets or sets how long a discovery may be reused inside one discovery scope (key <c>Replication:Jobs:DiscoveryFreshness</c>).</summary>
    /// <value>The default value is 5 minutes. Between 0 (never reuse) and 1 hour. There is no cache outside a scope.</value>
    public TimeSpan DiscoveryFreshness { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most VM names a scope puts in one discovery filter; above it the group's discovery is unfiltered (key <c>Replication:Jobs:MaxFilterNames</c>).</summary>
    /// <value>The default value is 25. Between 1 and 500.</value>
    /// <remarks>The VMA fetches the whole inventory either way; the filter only shrinks the answer.</remarks>
    public int MaxFilterNames { get; set; } = 25;

    /// <summary>
    /// Gets or sets how long a non-terminal job may show no activity (no change of its OMA job row and none of its VMA
    /// transfer progress) before it is stale (key <c>Replication:Jobs:StaleJobThreshold</c>). The one threshold of
    /// <see cref="IJobLivenessPolicy"/>: the scheduler's job tracker, the 409 classifier and the active-job check all use it.
    /// </summary>
    /// <value>The default value is 2 hours. Between 1 minute and 30 days.</value>
    public TimeSpan StaleJobThreshold { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets how long to poll the VM context after an outcome-unknown create (key <c>Replication:Jobs:ReconciliationTimeout</c>).</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan ReconciliationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the first delay between reconciliation polls; it doubles up to 15 seconds (key <c>Replication:Jobs:ReconciliationInitialDelay</c>).</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan ReconciliationInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the clock skew tolerated between this host and the OMA when confirming an adopted job (key <c>Replication:Jobs:ClockSkew</c>).</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);
}
