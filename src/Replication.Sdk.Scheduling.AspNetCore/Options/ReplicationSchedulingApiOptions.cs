namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>Settings of the scheduling management API and the dashboard (both obey the same policy and read-only mode).</summary>
public sealed class ReplicationSchedulingApiOptions
{
    /// <summary>
    /// Gets or sets the name of the authorization policy every API endpoint and dashboard page requires. There is no
    /// anonymous default: a host that maps the API without naming a policy fails at start.
    /// </summary>
    /// <value>The default value is <see langword="null"/>, which fails validation.</value>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Gets or sets a value indicating whether operator actions (trigger, pause, resume) are refused, with 403 and an audit record.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>Gets or sets how many next occurrences a schedule lists.</summary>
    /// <value>The default value is 5; 1 to 50.</value>
    public int NextOccurrences { get; set; } = ApiConstants.DefaultNextOccurrences;

    /// <summary>Gets or sets the largest page of executions one request may ask for.</summary>
    /// <value>The default value is 200; 1 to 1,000 (<see cref="ExecutionQuery.MaxTake"/>).</value>
    public int MaxPageSize { get; set; } = ApiConstants.DefaultMaxPageSize;

    /// <summary>
    /// Gets or sets how many of a VM's newest executions its page (<c>GET /vms/{contextId}</c> and the dashboard's VM page)
    /// lists as its job history. Execution listings are filtered and paged by the execution store and need no limit.
    /// </summary>
    /// <value>The default value is 1,000; 10 to 100,000.</value>
    public int VmHistoryLimit { get; set; } = ApiConstants.DefaultVmHistoryLimit;
}
