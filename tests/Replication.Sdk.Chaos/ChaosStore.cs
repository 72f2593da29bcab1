using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Chaos;

/// <summary>
/// The one store every instance of a soak shares (in-memory, or a real MariaDB database): it holds the workload, composes
/// each instance's stores, and at the end reads back what it recorded, independently of any instance.
/// </summary>
internal interface IChaosStore : IAsyncDisposable
{
    /// <summary>Gets the store's name for the report.</summary>
    string Name { get; }

    /// <summary>Gets a value indicating whether the store's own reads (not an instance's) are on the wire.</summary>
    bool IsBusy { get; }

    /// <summary>Writes the schedules, groups and VMs the soak runs.</summary>
    Task LoadAsync(ChaosWorkload workload);

    /// <summary>Registers one instance's stores; its real I/O (if any) is counted on <paramref name="flight"/>.</summary>
    void Compose(IReplicationSchedulingBuilder builder, InFlight flight);

    /// <summary>Reads the running executions, as the soak's driver picks an instance to freeze or kill.</summary>
    Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync();

    /// <summary>Reads every execution the store recorded for the schedules, from the store itself.</summary>
    Task<IReadOnlyList<ScheduleExecution>> ReadAllAsync(IEnumerable<string> scheduleIds);

    /// <summary>Checks what the store keeps besides the records themselves (the appliance's own rows and counters) against them; returns the violations.</summary>
    Task<IReadOnlyList<string>> CheckDerivedAsync(IReadOnlyList<ScheduleExecution> recorded);
}
