using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>Migrations are numbered by feature and land out of order: a database at a higher version still gets a lower one it lacks.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MigrationGapTests(MariaDbServer server)
{
    [SkippableFact]
    public async Task ADatabaseAtTheLatestVersion_ThatLacksVersion7_GetsIt_AndUntilThenCountsAsOlder()
    {
        server.RequireServer();
        var db = new ApplianceDatabase(await server.CreateApplianceDatabaseAsync());
        await MySqlMigrations.ApplyAsync(db.ConnectionString);

        // As a build that had version 9 but not yet 7 left it.
        await db.ExecuteAsync("DROP TABLE rsdk_pause_skips");
        await db.ExecuteAsync("DROP TABLE rsdk_pauses");
        await db.ExecuteAsync("DELETE FROM rsdk_schema_version WHERE version = 7");

        await using (var checkOnly = MySqlStack.Services(db.ConnectionString, configure: o => o.ApplyMigrationsOnStart = false))
        {
            var error = await FluentActions.Awaiting(() => checkOnly.GetRequiredService<IPauseStore>().GetPausesAsync()).Should().ThrowAsync<MySqlSchemaException>();
            error.Which.FoundVersion.Should().BeLessThan(7, "the schema is complete only up to the missing version");
        }

        (await MySqlMigrations.ApplyAsync(db.ConnectionString)).Should().Be(MySqlMigrations.CurrentVersion);
        (await db.CountAsync("SELECT COUNT(*) FROM rsdk_schema_version WHERE version = 7")).Should().Be(1);
        await using var services = MySqlStack.Services(db.ConnectionString, configure: o => o.ApplyMigrationsOnStart = false);
        (await services.GetRequiredService<IPauseStore>().GetPausesAsync()).Should().BeEmpty("version 7's tables exist again");
    }
}
