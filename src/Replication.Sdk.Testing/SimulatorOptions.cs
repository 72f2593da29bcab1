namespace Replication.Sdk.Testing;

/// <summary>Settings of an <see cref="ApplianceSimulator"/>.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Gets or sets the seed of the generated inventory and of random faults. The same seed gives the same simulator.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how many VMs the inventory starts with, spread over <see cref="VCenters"/> and <see cref="Datacenters"/>.</summary>
    /// <value>The default value is 12.</value>
    public int VmCount { get; set; } = 12;

    /// <summary>Gets the vCenter hosts the VMA knows.</summary>
    public IList<string> VCenters { get; } = ["vcenter.example.local"];

    /// <summary>Gets the datacenters of every vCenter.</summary>
    public IList<string> Datacenters { get; } = ["DC1"];

    /// <summary>Gets or sets the share of generated VMs with an RDM disk (which cannot be replicated).</summary>
    /// <value>The default value is 0.</value>
    public double RdmDiskRate { get; set; }

    /// <summary>Gets or sets the share of generated NICs with a fallback network name (<c>ERROR-…</c>, <c>DVS-…</c>).</summary>
    /// <value>The default value is 0.1.</value>
    public double FallbackNetworkRate { get; set; } = 0.1;

    /// <summary>Gets or sets the vCenter user name the VMA accepts; <see langword="null"/> accepts any.</summary>
    public string? VCenterUsername { get; set; }

    /// <summary>Gets or sets the vCenter password the VMA accepts; <see langword="null"/> accepts any.</summary>
    public string? VCenterPassword { get; set; }

    /// <summary>Gets or sets the appliance id hosts send at login. The real OMA ignores it; see <see cref="RequireApplianceId"/>.</summary>
    /// <value>The default value is <c>sim-appliance</c>.</value>
    public string ApplianceId { get; set; } = "sim-appliance";

    /// <summary>Gets or sets a value indicating whether a login with another <c>appliance_id</c> than <see cref="ApplianceId"/> is refused (stricter than the real OMA).</summary>
    /// <value>The default value is <see langword="false"/>: as upstream, <c>appliance_id</c> is not checked.</value>
    public bool RequireApplianceId { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether every login gets a new session token (kinder than the real OMA, which hands
    /// every caller one constant token, so a token rejected after a restart is the same one the next login returns).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: one constant token, as upstream.</value>
    public bool UniqueSessionTokens { get; set; }

    /// <summary>Gets or sets the login token the OMA accepts. When set, every protected OMA route requires a session token.</summary>
    public string? LoginToken { get; set; }

    /// <summary>Gets or sets how long a created job transfers (<c>replicating</c>, from the end of its create call) before it completes (or fails).</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan JobDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a login session lasts; <c>expires_at</c> is written in <see cref="OmaLocalOffset"/>.</summary>
    /// <value>The default value is 3650 days (ten years), as upstream.</value>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>
    /// Gets or sets the OMA's HTTP write timeout. A handler that runs longer does all its work, then the connection closes
    /// without an answer (Go's <c>WriteTimeout</c>). Measured on <see cref="TimeProvider"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none (kinder).
    /// </summary>
    /// <value>The default value is 15 seconds, as upstream.</value>
    public TimeSpan OmaWriteTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long the create call's synchronous setup (analyze, provision, attach, configure) takes. The job
    /// exists from the start and passes through the setup statuses meanwhile; a <see cref="FaultKind.Latency"/> on the
    /// create endpoint adds to it. Waits on <see cref="TimeProvider"/>.
    /// </summary>
    /// <value>The default value is zero.</value>
    public TimeSpan CreateDuration { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the OMA copies transfer progress into the job row (<c>progress_percent</c>
    /// and <c>updated_at</c> in steps of 5 %). Newer OMA builds removed that poller: the row then stays as the create left
    /// it until the job ends, while the VMA's <c>/api/v1/progress/{jobId}</c> keeps moving.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool OmaProgressUpdates { get; set; } = true;

    /// <summary>
    /// Gets VM names whose transfers hang: once a job of theirs starts transferring, neither its OMA row nor its VMA
    /// progress moves again and it never ends (a dead transfer, for staleness tests).
    /// </summary>
    public ISet<string> StalledVms { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets VM names whose jobs end as <c>failed</c>.</summary>
    public ISet<string> FailingVms { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the clock of job lifecycles and sessions (a FakeTimeProvider makes them instant in tests).</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets the target configurations (<c>ossea_config_id</c>) the OMA has. A create naming another is refused as the real
    /// OMA refuses it: 400 for an <c>initial</c> replication, 500 after the job row exists for any other type.
    /// </summary>
    /// <value>The default value is one configuration, id 7 (the one this SDK's samples use).</value>
    public ISet<int> OsseaConfigIds { get; } = new HashSet<int> { 7 };

    /// <summary>Gets or sets the vCenter host the OMA stores when a create leaves <c>vcenter_host</c> empty (upstream hard-codes one).</summary>
    /// <value>The default value is <c>vcenter.example.local</c>.</value>
    public string OmaDefaultVCenterHost { get; set; } = "vcenter.example.local";

    /// <summary>Gets or sets the datacenter the OMA stores when a create leaves <c>datacenter</c> empty (upstream hard-codes one).</summary>
    /// <value>The default value is <c>DC1</c>.</value>
    public string OmaDefaultDatacenter { get; set; } = "DC1";

    /// <summary>Gets or sets the UTC offset the OMA writes in its <c>{error, details, timestamp}</c> errors (the server's local offset).</summary>
    /// <value>The default value is +01:00.</value>
    public TimeSpan OmaLocalOffset { get; set; } = TimeSpan.FromHours(1);
}
