using Microsoft.Extensions.DependencyInjection;

namespace Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

/// <summary>
/// A test class on its own appliance database with every SDK migration applied and the MySQL stores registered over it
/// (nothing is created when no server runs outside CI: the tests then skip through <see cref="MariaDbServer.RequireServer"/>).
/// </summary>
public abstract class MigratedDatabaseTests(MariaDbServer server) : IAsyncLifetime
{
    /// <summary>Gets the server the database lives on.</summary>
    protected MariaDbServer Server { get; } = server;

    /// <summary>Gets the database.</summary>
    protected ApplianceDatabase Db { get; private set; } = null!;

    /// <summary>Gets the services with the MySQL stores.</summary>
    protected ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Server.Unavailable is not null && !MariaDbServer.InCi)
        {
            return;
        }

        Db = new ApplianceDatabase(await Server.CreateApplianceDatabaseAsync());
        await MySqlMigrations.ApplyAsync(Db.ConnectionString);
        Services = MySqlStack.Services(Db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }
    }
}
