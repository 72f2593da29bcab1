using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// The group reads a management UI needs (<see cref="IScheduleStore.GetGroupAsync"/>, <see cref="IScheduleStore.GetAllGroupsAsync"/>,
/// <see cref="IScheduleStore.GetVmMembershipsAsync"/>) see groups with no schedule; the same suite runs against the
/// in-memory and the MySQL stores.
/// </summary>
public abstract class GroupReadContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);

    protected IScheduleStore Store { get; private set; } = null!;

    protected IScheduleStoreWriter Writer { get; private set; } = null!;

    /// <summary>Gets why this backend cannot run here (the test skips), or null.</summary>
    protected virtual string? Unavailable => null;

    public async Task InitializeAsync()
    {
        (Store, Writer) = await CreateStoreAsync();
        if (Unavailable is not null)
        {
            return;
        }

        await AddVmAsync("ctx-1");
        await AddVmAsync("ctx-2");
        await Writer.UpsertScheduleAsync(new ReplicationSchedule { Id = "s1", Name = "s1", CronExpression = "0 2 * * *" });
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1", MaxConcurrentVms = 3, Priority = 1 });
        await Writer.UpsertGroupAsync(new MachineGroup { Id = "g2", Name = "spare", MaxConcurrentVms = 2 });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", AddedAt = At });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g2", VmContextId = "ctx-1", Enabled = false, Priority = 5, AddedAt = At });
        await Writer.UpsertMembershipAsync(new GroupMembership { GroupId = "g2", VmContextId = "ctx-2", AddedAt = At });
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<(IScheduleStore Store, IScheduleStoreWriter Writer)> CreateStoreAsync();

    protected abstract Task AddVmAsync(string contextId);

    [SkippableFact]
    public async Task GetGroup_ReadsAnyGroup_ThoseWithNoScheduleIncluded()
    {
        Skip.If(Unavailable is not null, Unavailable);

        (await Store.GetGroupAsync("g1")).Should().Be(new MachineGroup { Id = "g1", Name = "web", ScheduleId = "s1", MaxConcurrentVms = 3, Priority = 1 });
        (await Store.GetGroupAsync("g2")).Should().Be(new MachineGroup { Id = "g2", Name = "spare", MaxConcurrentVms = 2 });
        (await Store.GetGroupAsync("nope")).Should().BeNull();
    }

    [SkippableFact]
    public async Task GetAllGroups_ListsEveryGroup_AndADeletedSchedulesGroups_StayListed()
    {
        Skip.If(Unavailable is not null, Unavailable);
        (await Store.GetAllGroupsAsync()).Select(g => (g.Id, g.ScheduleId)).Should().BeEquivalentTo([("g1", "s1"), ("g2", (string?)null)]);

        (await Writer.DeleteScheduleAsync("s1")).Should().BeTrue();

        (await Store.GetAllGroupsAsync()).Select(g => (g.Id, g.ScheduleId)).Should().BeEquivalentTo([("g1", (string?)null), ("g2", (string?)null)]);
        (await Store.GetGroupAsync("g1"))!.ScheduleId.Should().BeNull();
    }

    [SkippableFact]
    public async Task GetVmMemberships_ListsTheVmsMembershipsInEveryGroup()
    {
        Skip.If(Unavailable is not null, Unavailable);

        (await Store.GetVmMembershipsAsync("ctx-1")).Should().BeEquivalentTo(
        [
            new GroupMembership { GroupId = "g1", VmContextId = "ctx-1", AddedAt = At },
            new GroupMembership { GroupId = "g2", VmContextId = "ctx-1", Enabled = false, Priority = 5, AddedAt = At },
        ]);
        (await Store.GetVmMembershipsAsync("ctx-2")).Select(m => m.GroupId).Should().Equal("g2");
        (await Store.GetVmMembershipsAsync("ctx-x")).Should().BeEmpty();
    }
}

public sealed class InMemoryGroupReadContractTests : GroupReadContractTests, IDisposable
{
    private readonly InMemoryScheduleStore _store = new();

    public void Dispose() => _store.Dispose();

    protected override Task<(IScheduleStore Store, IScheduleStoreWriter Writer)> CreateStoreAsync() => Task.FromResult<(IScheduleStore, IScheduleStoreWriter)>((_store, _store));

    protected override Task AddVmAsync(string contextId)
    {
        _store.Upsert(new ScheduledVm { ContextId = contextId, VmName = contextId, VCenterHost = "vc", Datacenter = "dc" });
        return Task.CompletedTask;
    }
}

[Collection(MariaDbCollection.Name)]
public sealed class MySqlGroupReadContractTests(MariaDbServer server) : GroupReadContractTests
{
    private ServiceProvider? _services;
    private ApplianceDatabase? _db;

    protected override string? Unavailable => MariaDbServer.InCi ? null : server.Unavailable;

    protected override async Task<(IScheduleStore Store, IScheduleStoreWriter Writer)> CreateStoreAsync()
    {
        if (Unavailable is not null)
        {
            // Each test skips with the install hint; this store is never used.
            var unused = new InMemoryScheduleStore();
            return (unused, unused);
        }

        _db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await MySqlMigrations.ApplyAsync(_db.ConnectionString);
        _services = MySqlStack.Services(_db.ConnectionString, configure: o => o.AllowScheduleWrites = true);
        return (_services.GetRequiredService<IScheduleStore>(), _services.GetRequiredService<IScheduleStoreWriter>());
    }

    protected override Task AddVmAsync(string contextId) => _db!.AddContextAsync(contextId, contextId);

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
