using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.Tests.Stores;

/// <summary><see cref="InMemoryScheduleStore"/> as an <see cref="IScheduleStoreWriter"/>, and how the writer is registered.</summary>
public sealed class InMemoryScheduleStoreWriterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryScheduleStore _store;

    public InMemoryScheduleStoreWriterTests()
    {
        _store = new InMemoryScheduleStore(new CronScheduleEvaluator(), _time);
        _store.Upsert(new ScheduledVm { ContextId = "ctx-1", VmName = "vm1", VCenterHost = "vc", Datacenter = "dc" });
    }

    [Fact]
    public async Task AnInvalidSchedule_IsRefusedNamingEachProblem_AndNothingIsWrittenOrFired()
    {
        var token = _store.GetChangeToken();

        var write = () => _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = " ", CronExpression = "0 25 * * *", RetryAttempts = -1 });

        var refused = (await write.Should().ThrowAsync<InvalidScheduleException>()).Which;
        refused.ScheduleId.Should().Be("s1");
        refused.Problems.Should().HaveCount(3);
        refused.Problems.Should().Contain("RetryAttempts must be between 0 and 100 (was -1)").And.Contain("Name is required");
        refused.Problems[0].Should().Contain("25", "the evaluator's own message about the hour field comes first");
        (await _store.GetScheduleAsync("s1")).Should().BeNull();
        token.HasChanged.Should().BeFalse();
    }

    [Fact]
    public async Task AWrite_FiresTheTokenNamingTheSchedule_AndADuplicateNameIsAConflict()
    {
        var token = (ScheduleChangeToken)_store.GetChangeToken();

        await _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = "Nightly", CronExpression = "0 2 * * *" });

        token.ChangedScheduleIds.Should().Equal("s1");
        var duplicate = () => _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s2", Name = "Nightly", CronExpression = "0 3 * * *" });
        (await duplicate.Should().ThrowAsync<ScheduleWriteConflictException>()).Which.Id.Should().Be("s2");
        await _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = "Nightly", CronExpression = "0 4 * * *" });
        (await _store.GetSchedulesAsync()).Should().ContainSingle().Which.CronExpression.Should().Be("0 4 * * *", "its own name is no conflict");
    }

    [Fact]
    public async Task Deletes_DetachGroups_RemoveMemberships_AndReportUnknownIds()
    {
        await _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = "s1", CronExpression = "0 2 * * *" });
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", ScheduleId = "s1" });
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "s1" });
        await _store.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" });
        await _store.UpsertMembershipAsync(new GroupMembership { GroupId = "g2", VmContextId = "ctx-1" });

        (await _store.DeleteGroupAsync("g1")).Should().BeTrue();
        (await _store.DeleteScheduleAsync("s1")).Should().BeTrue();

        (await _store.GetMembershipsAsync(["g1", "g2"])).Select(m => m.GroupId).Should().Equal("g2");
        (await _store.GetGroupsAsync("s1")).Should().BeEmpty("g2 is detached");
        await _store.UpsertScheduleAsync(new ReplicationSchedule { Id = "s3", Name = "s3", CronExpression = "0 2 * * *" });
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "s3" });
        (await _store.GetGroupsAsync("s3")).Should().ContainSingle().Which.Id.Should().Be("g2");
        (await _store.DeleteGroupAsync("g1")).Should().BeFalse();
        (await _store.DeleteScheduleAsync("s1")).Should().BeFalse();
        (await _store.RemoveMembershipAsync("g2", "ctx-x")).Should().BeFalse();
    }

    [Fact]
    public async Task Memberships_NeedTheirGroupAndVm_AndKeepTheirAddedAt()
    {
        await _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1" });
        var unknownSchedule = () => _store.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "g2", ScheduleId = "nope" });
        await unknownSchedule.Should().ThrowAsync<ScheduleNotFoundException>();
        var badLimit = () => _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g1", MaxConcurrentVms = 0 });
        (await badLimit.Should().ThrowAsync<InvalidScheduleException>()).Which.Problems.Should().ContainSingle().Which.Should().Contain("MaxConcurrentVms");

        var noGroup = () => _store.UpsertMembershipAsync(new GroupMembership { GroupId = "nope", VmContextId = "ctx-1" });
        (await noGroup.Should().ThrowAsync<ScheduleTargetNotFoundException>()).Which.Target.Should().Be(PauseTarget.Group("nope"));
        var noVm = () => _store.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-x" });
        (await noVm.Should().ThrowAsync<ScheduleTargetNotFoundException>()).Which.Message.Should().Be("Vm 'ctx-x' does not exist.");

        await _store.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1" });
        _time.Advance(TimeSpan.FromMinutes(5.5));
        await _store.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 3 });

        (await _store.GetMembershipsAsync(["g1"])).Should().Equal(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", Priority = 3, AddedAt = Start });
    }

    [Theory]
    [InlineData("s\n1", "scheduleId", "U+000A")]
    [InlineData(" s1", "scheduleId", "white space")]
    [InlineData("", "scheduleId", "empty")]
    [InlineData("{65}", "scheduleId", "65 characters")]
    public async Task ASchedule_WithAnIdNoStoreCanHold_IsRefusedTyped_AndNothingIsWritten(string id, string parameter, string why)
    {
        id = id.Replace("{65}", new string('s', 65), StringComparison.Ordinal);

        var refused = (await FluentActions.Awaiting(() => _store.UpsertScheduleAsync(new ReplicationSchedule { Id = id, Name = "Odd", CronExpression = "0 2 * * *" }))
            .Should().ThrowAsync<InvalidIdException>()).Which;

        refused.ParameterName.Should().Be(parameter);
        refused.Problem.Should().Contain(why);
        (await _store.GetSchedulesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task GroupsAndMemberships_WithIdsNoStoreCanHold_AreRefusedTyped()
    {
        await _store.UpsertGroupAsync(new MachineGroup { Id = new string('g', 64), Name = "longest" });

        (await FluentActions.Awaiting(() => _store.UpsertGroupAsync(new MachineGroup { Id = new string('g', 65), Name = "g" })).Should().ThrowAsync<InvalidIdException>())
            .Which.ParameterName.Should().Be("groupId");
        (await FluentActions.Awaiting(() => _store.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "g", ScheduleId = "s1\u0000" })).Should().ThrowAsync<InvalidIdException>())
            .Which.ParameterName.Should().Be("scheduleId");
        (await FluentActions.Awaiting(() => _store.UpsertMembershipAsync(new GroupMembership { GroupId = new string('g', 64), VmContextId = new string('c', 192) })).Should().ThrowAsync<InvalidIdException>())
            .Which.Problem.Should().Contain("at most 191");
        (await FluentActions.Awaiting(() => _store.UpsertMembershipAsync(new GroupMembership { GroupId = new string('g', 64), VmContextId = "ctx-1 " })).Should().ThrowAsync<InvalidIdException>())
            .Which.ParameterName.Should().Be("contextId");
        (await _store.GetMembershipsAsync([new string('g', 64)])).Should().BeEmpty();
    }

    [Fact]
    public void TheWriter_IsTheConfiguredStore_OrNone()
    {
        var defaults = new ServiceCollection();
        defaults.AddReplicationScheduling();
        using (var provider = defaults.BuildServiceProvider())
        {
            provider.GetRequiredService<IScheduleStoreWriter>().Should().BeSameAs(provider.GetRequiredService<InMemoryScheduleStore>());
        }

        var own = new ServiceCollection();
        own.AddSingleton<IScheduleStore, ReadOnlyStore>();
        own.AddReplicationScheduling();
        using (var provider = own.BuildServiceProvider())
        {
            provider.GetService<IScheduleStoreWriter>().Should().BeNull("writes would go to a store the scheduler does not read");
        }
    }

    public void Dispose() => _store.Dispose();

    private sealed class ReadOnlyStore : IScheduleStore
    {
        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ReplicationSchedule>>([]);

        public Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => Task.FromResult<ReplicationSchedule?>(null);

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<MachineGroup>>([]);

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<GroupMembership>>([]);

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ScheduledVm>>([]);

        public IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);
    }
}
