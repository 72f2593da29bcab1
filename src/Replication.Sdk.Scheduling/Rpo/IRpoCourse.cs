namespace Replication.Sdk.Scheduling;

/// <summary>What a simulation of a schedule reports as it goes: which VM (by its index in the simulated list) starts or completes a job when.</summary>
internal interface IRpoCourse
{
    /// <summary>VM <paramref name="vm"/> starts a job at <paramref name="at"/> that will end at <paramref name="until"/>.</summary>
    void Started(int vm, DateTimeOffset at, DateTimeOffset until);

    /// <summary>VM <paramref name="vm"/>'s job completes at <paramref name="at"/>: its newest replica is that young.</summary>
    void Completed(int vm, DateTimeOffset at);
}
