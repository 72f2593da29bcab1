using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Chaos;

/// <summary>The in-memory stores, one set shared by every instance, writes checked against the leases under one lock as a database checks them in one transaction.</summary>
internal sealed class InMemoryChaosStore : IChaosStore
{
    private readonly InMemoryScheduleStore _schedules = new();
    private readonly InMemoryInstanceLeaseStore _leases = new();
    private readonly InMemoryExecutionStore _executions;

    public InMemoryChaosStore() => _executions = new InMemoryExecutionStore(historyLimit: 1_000_000, _leases);

    public string Name => "in-memory";

    public bool IsBusy => false;

    public Task LoadAsync(ChaosWorkload workload)
    {
        foreach (var schedule in workload.Schedules)
        {
            _schedules.Upsert(schedule.Schedule);
            _schedules.Upsert(schedule.Group);
            foreach (var (vm, membership) in schedule.Vms)
            {
                _schedules.Upsert(vm);
                _schedules.Upsert(membership);
            }
        }

        return Task.CompletedTask;
    }

    public void Compose(IReplicationSchedulingBuilder builder, InFlight flight)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton(_schedules));
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(_executions));
        builder.Services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore>(_leases));
    }

    public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync() => _executions.GetRunningAsync();

    public Task<IReadOnlyList<ScheduleExecution>> ReadAllAsync(IEnumerable<string> scheduleIds) => Task.FromResult(_executions.All);

    /// <summary>The in-memory store keeps nothing but the records (its counters are computed from the outcomes).</summary>
    public Task<IReadOnlyList<string>> CheckDerivedAsync(IReadOnlyList<ScheduleExecution> recorded) => Task.FromResult<IReadOnlyList<string>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
