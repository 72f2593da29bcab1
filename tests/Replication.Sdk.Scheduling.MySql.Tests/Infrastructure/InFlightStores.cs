using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>
/// Counts database calls in flight, so the jumping test clock waits for real I/O instead of mistaking a slow query for
/// idleness (the fake time would otherwise race ahead while an engine is mid-write).
/// </summary>
public sealed class InFlight
{
    private int _count;

    public bool Busy => Volatile.Read(ref _count) > 0;

    public async Task<T> Track<T>(Func<Task<T>> call)
    {
        Interlocked.Increment(ref _count);
        try
        {
            return await call();
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public Task Track(Func<Task> call) => Track(async () => { await call(); return true; });

    /// <summary>Wraps the registered MySQL stores with in-flight tracking.</summary>
    public void Decorate(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(sp => new Executions(sp.GetRequiredService<MySqlExecutionStore>(), this)));
        services.Replace(ServiceDescriptor.Singleton<IScheduleStore>(sp => new Schedules(sp.GetRequiredService<MySqlScheduleStore>(), this)));
        services.Replace(ServiceDescriptor.Singleton<IInstanceLeaseStore>(sp => new Leases(sp.GetRequiredService<MySqlInstanceLeaseStore>(), this)));
        services.Replace(ServiceDescriptor.Singleton<IRpoStateStore>(sp => new RpoState(sp.GetRequiredService<MySqlRpoStateStore>(), this)));
        services.Replace(ServiceDescriptor.Singleton<IPauseStore>(sp => new Pauses(sp.GetRequiredService<MySqlPauseStore>(), this)));
    }

    private sealed class Pauses(IPauseStore inner, InFlight flight) : IPauseStore
    {
        public Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default) => flight.Track(() => inner.GetPausesAsync(cancellationToken));

        public Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryAddAsync(pause, cancellationToken));

        public Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryRemoveAsync(target, pauseId, cancellationToken));

        public Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default) =>
            flight.Track(() => inner.RecordSkipAsync(pauseId, executionId, occurrence, cap, cancellationToken));
    }

    private sealed class Executions(IExecutionStore inner, InFlight flight) : IExecutionStore
    {
        public Task<bool> TryCreateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryCreateAsync(execution, cancellationToken));

        public Task UpdateAsync(ScheduleExecution execution, CancellationToken cancellationToken = default) => flight.Track(() => inner.UpdateAsync(execution, cancellationToken));

        public Task<bool> TryTakeOverAsync(ScheduleExecution replacement, string? expectedLeaseToken, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryTakeOverAsync(replacement, expectedLeaseToken, cancellationToken));

        public Task<bool> RequestStopAsync(string executionId, string requestedBy, CancellationToken cancellationToken = default) => flight.Track(() => inner.RequestStopAsync(executionId, requestedBy, cancellationToken));

        public Task<string?> GetStopRequestAsync(string executionId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetStopRequestAsync(executionId, cancellationToken));

        public Task<ScheduleExecution?> GetAsync(string executionId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetAsync(executionId, cancellationToken));

        public Task<IReadOnlyList<ScheduleExecution>> GetRunningAsync(CancellationToken cancellationToken = default) => flight.Track(() => inner.GetRunningAsync(cancellationToken));

        public Task<DateTimeOffset?> GetLastOccurrenceAsync(string scheduleId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetLastOccurrenceAsync(scheduleId, cancellationToken));

        public Task<IReadOnlyList<ScheduleExecution>> ListAsync(string scheduleId, int limit, CancellationToken cancellationToken = default) => flight.Track(() => inner.ListAsync(scheduleId, limit, cancellationToken));

        public Task<ExecutionPage> QueryAsync(ExecutionQuery query, CancellationToken cancellationToken = default) => flight.Track(() => inner.QueryAsync(query, cancellationToken));
    }

    private sealed class Schedules(IScheduleStore inner, InFlight flight) : IScheduleStore
    {
        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => flight.Track(() => inner.GetSchedulesAsync(cancellationToken));

        public Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetScheduleAsync(scheduleId, cancellationToken));

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetGroupsAsync(scheduleId, cancellationToken));

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetMembershipsAsync(groupIds, cancellationToken));

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetVmContextsAsync(contextIds, cancellationToken));

        public IChangeToken GetChangeToken() => inner.GetChangeToken();
    }

    private sealed class Leases(IInstanceLeaseStore inner, InFlight flight) : IInstanceLeaseStore
    {
        public Task<LeaseAcquisition> TryAcquireAsync(string instanceId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryAcquireAsync(instanceId, now, expiresAt, cancellationToken));

        public Task<bool> RenewAsync(InstanceLeaseToken lease, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) => flight.Track(() => inner.RenewAsync(lease, expiresAt, cancellationToken));

        public Task<IReadOnlyList<InstanceLeaseToken>> ClaimExpiredAsync(InstanceLeaseToken claimant, DateTimeOffset now, CancellationToken cancellationToken = default) => flight.Track(() => inner.ClaimExpiredAsync(claimant, now, cancellationToken));

        public Task ReleaseAsync(InstanceLeaseToken lease, CancellationToken cancellationToken = default) => flight.Track(() => inner.ReleaseAsync(lease, cancellationToken));
    }

    private sealed class RpoState(IRpoStateStore inner, InFlight flight) : IRpoStateStore
    {
        public Task<IReadOnlyList<RpoBreach>> GetBreachesAsync(string scheduleId, CancellationToken cancellationToken = default) => flight.Track(() => inner.GetBreachesAsync(scheduleId, cancellationToken));

        public Task<RpoBreach?> TryRecordBreachAsync(RpoBreach breach, CancellationToken cancellationToken = default) => flight.Track(() => inner.TryRecordBreachAsync(breach, cancellationToken));

        public Task RecordCompletionAsync(string contextId, DateTimeOffset completedAt, CancellationToken cancellationToken = default) => flight.Track(() => inner.RecordCompletionAsync(contextId, completedAt, cancellationToken));
    }
}
