namespace Replication.Sdk.Chaos;

/// <summary>One soak's shape. Every random choice derives from <see cref="Seed"/>, so a failing run replays from it.</summary>
internal sealed record ChaosSettings
{
    public int Seed { get; init; } = 1;

    public int Instances { get; init; } = 3;

    /// <summary>Gets the VM count, split between the two schedules.</summary>
    public int Vms { get; init; } = 16;

    /// <summary>Gets how much fake time the soak covers.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Gets the rate of each appliance fault kind, per matching request.</summary>
    public double FaultRate { get; init; } = 0.05;

    /// <summary>Gets the rate of execution-store failures, per call.</summary>
    public double StoreFaultRate { get; init; } = 0.02;

    /// <summary>Gets a value indicating whether one instance is frozen past its lease and then resumed.</summary>
    public bool FreezeOne { get; init; } = true;

    /// <summary>Gets a value indicating whether one instance is killed (frozen for good) part way.</summary>
    public bool KillOne { get; init; } = true;

    /// <summary>Gets how much real time the soak may take before it is reported as hung.</summary>
    public TimeSpan RealTimeLimit { get; init; } = TimeSpan.FromMinutes(5);
}
