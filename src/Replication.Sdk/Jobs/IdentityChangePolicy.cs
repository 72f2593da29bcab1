namespace Replication.Sdk.Jobs;

/// <summary>What to do when the VM found by name has a different VMware id than the one the host recorded (the VM was replaced).</summary>
public enum IdentityChangePolicy
{
    /// <summary>Fail with <see cref="VmIdentityChangedException"/>: a replaced VM needs a decision.</summary>
    Fail,

    /// <summary>Build the job for the new VM and add a warning (and an identity change to the drift report).</summary>
    ProceedWithWarning,
}
