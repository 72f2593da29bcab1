using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlStoreContractTests(MariaDbServer server) : StoreContractTests
{
    private ServiceProvider? _services;

    protected override string? Unavailable => MariaDbServer.InCi ? null : server.Unavailable;

    protected override async Task<(IExecutionStore Executions, IInstanceLeaseStore Leases)> CreateStoresAsync(params string[] scheduleIds)
    {
        if (Unavailable is not null)
        {
            // Each test skips with the install hint; these stores are never used.
            return (new InMemoryExecutionStore(), new InMemoryInstanceLeaseStore());
        }

        var database = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        foreach (var id in scheduleIds)
        {
            await database.AddScheduleAsync(id, "0 0 2 * * *");
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _services = MySqlStack.Services(database.ConnectionString);
        return (_services.GetRequiredService<IExecutionStore>(), _services.GetRequiredService<IInstanceLeaseStore>());
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
