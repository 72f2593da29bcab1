using Replication.Sdk.Jobs;

namespace Replication.Sdk.Samples.Console;

/// <summary>The <c>Sample</c> configuration section: whether to use the simulator, and the schedules, groups and VMs to load.</summary>
public sealed class SampleSettings
{
    public bool UseSimulator { get; set; } = true;

    public SimulatorSettings Simulator { get; set; } = new();

    public List<ScheduleSettings> Schedules { get; set; } = [];

    public List<GroupSettings> Groups { get; set; } = [];

    public string VCenterHost { get; set; } = "vcenter.example.local";

    public string Datacenter { get; set; } = "DC1";

    /// <summary>How many executions fired by a schedule itself (not by the sample) the run waits for before it stops.</summary>
    public int ScheduledRuns { get; set; } = 1;

    /// <summary>How long the whole run may take before it gives up (exit code 1).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where <c>--dashboard</c> listens: a loopback address only, since its sign-in is for development.</summary>
    public string DashboardUrl { get; set; } = "http://127.0.0.1:5080";
}

public sealed class SimulatorSettings
{
    public int VmCount { get; set; } = 12;

    public TimeSpan JobDuration { get; set; } = TimeSpan.FromSeconds(3);

    public List<string> FailingVms { get; set; } = [];
}

public sealed class ScheduleSettings
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string CronExpression { get; set; } = "";

    public string TimeZone { get; set; } = "UTC";

    public bool Enabled { get; set; } = true;

    /// <summary>Whether the sample triggers this schedule by hand at start (a <c>Manual</c> execution), besides its cron.</summary>
    public bool RunNow { get; set; } = true;

    public int MaxConcurrentJobs { get; set; } = 1;

    public int RetryAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    public ReplicationType ReplicationType { get; set; } = ReplicationType.Auto;

    /// <summary>Gets or sets how far the VMs' starts are spread (<see cref="Scheduling.ReplicationSchedule.Spread"/>); none by default.</summary>
    public TimeSpan? Spread { get; set; }
}

public sealed class GroupSettings
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string ScheduleId { get; set; } = "";

    public int MaxConcurrentVms { get; set; } = 5;

    public int Priority { get; set; }

    public List<string> Vms { get; set; } = [];
}
