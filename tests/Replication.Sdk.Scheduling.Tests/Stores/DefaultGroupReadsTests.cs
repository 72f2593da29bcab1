using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling.Tests.Stores;

/// <summary>
/// The default implementations of <see cref="IScheduleStore"/>'s group reads, for a host's store that predates them: built
/// on the per-schedule reads, they see the groups that have a schedule, and only those (as documented).
/// </summary>
public sealed class DefaultGroupReadsTests : IDisposable
{
    private readonly InMemoryScheduleStore _inner = new();
    private readonly IScheduleStore _store;

    public DefaultGroupReadsTests()
    {
        _store = new OlderStore(_inner);
        _inner.Upsert(new ReplicationSchedule { Id = "s1", Name = "s1", CronExpression = "0 2 * * *" });
        _inner.Upsert(new ReplicationSchedule { Id = "s2", Name = "s2", CronExpression = "0 3 * * *" });
        _inner.Upsert(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1" });
        _inner.Upsert(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "s2" });
        _inner.Upsert(new MachineGroup { Id = "spare", Name = "spare" });
        foreach (var group in new[] { "g1", "g2", "spare" })
        {
            _inner.Upsert(new GroupMembership { GroupId = group, VmContextId = "ctx-1" });
        }

        _inner.Upsert(new GroupMembership { GroupId = "g2", VmContextId = "ctx-2" });
    }

    [Fact]
    public async Task TheDefaults_SeeEveryScheduledGroup_ButNotOneWithNoSchedule()
    {
        (await _store.GetAllGroupsAsync()).Select(g => g.Id).Should().BeEquivalentTo(["g1", "g2"]);
        (await _store.GetGroupAsync("g2"))!.ScheduleId.Should().Be("s2");
        (await _store.GetGroupAsync("spare")).Should().BeNull("the default cannot see a group with no schedule: a store should override it");
        (await _store.GetVmMembershipsAsync("ctx-1")).Select(m => m.GroupId).Should().BeEquivalentTo(["g1", "g2"]);
        (await _store.GetVmMembershipsAsync("ctx-2")).Select(m => m.GroupId).Should().Equal("g2");
    }

    [Fact]
    public async Task TheInMemoryStore_OverridesThem_AndSeesTheGroupWithNoSchedule()
    {
        IScheduleStore store = _inner;

        (await store.GetAllGroupsAsync()).Select(g => g.Id).Should().BeEquivalentTo(["g1", "g2", "spare"]);
        (await store.GetGroupAsync("spare")).Should().Be(new MachineGroup { Id = "spare", Name = "spare" });
        (await store.GetVmMembershipsAsync("ctx-1")).Select(m => m.GroupId).Should().BeEquivalentTo(["g1", "g2", "spare"]);
    }

    public void Dispose() => _inner.Dispose();

    /// <summary>A store written before the group reads existed: it implements only the members the scheduler needs.</summary>
    private sealed class OlderStore(InMemoryScheduleStore inner) : IScheduleStore
    {
        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => inner.GetSchedulesAsync(cancellationToken);

        public Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetScheduleAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetGroupsAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => inner.GetMembershipsAsync(groupIds, cancellationToken);

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => inner.GetVmContextsAsync(contextIds, cancellationToken);

        public IChangeToken GetChangeToken() => inner.GetChangeToken();
    }
}
