using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>The MySQL store's health check, the appliance-table gate, and a host-registered <see cref="MySqlDataSource"/>.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class StoreHealthTests(MariaDbServer server)
{
    [SkippableFact]
    public async Task HealthCheck_IsHealthyAtTheCurrentSchema_AndNamesWhatIsWrongOtherwise()
    {
        server.RequireServer();
        var database = await server.CreateApplianceDatabaseAsync();
        await MySqlMigrations.ApplyAsync(database);
        await using (var services = WithHealthChecks(database))
        {
            var healthy = await CheckAsync(services);
            healthy.Status.Should().Be(HealthStatus.Healthy, healthy.Description);
            healthy.Data["schemaVersion"].Should().Be(MySqlMigrations.CurrentVersion);
            healthy.Tags.Should().Equal("replication");

            await new ApplianceDatabase(database).ExecuteAsync("SET FOREIGN_KEY_CHECKS = 0; DROP TABLE vm_group_memberships; SET FOREIGN_KEY_CHECKS = 1");
            var missing = await CheckAsync(services);
            missing.Status.Should().Be(HealthStatus.Unhealthy);
            missing.Description.Should().Contain("lacks the OMA appliance's tables vm_group_memberships").And.Contain("ConnectionString must name the appliance's own database");
        }

        var bare = await server.CreateApplianceDatabaseAsync();
        await using (var services = WithHealthChecks(bare, failureStatus: HealthStatus.Degraded))
        {
            var old = await CheckAsync(services);
            old.Status.Should().Be(HealthStatus.Degraded, "the registration's failure status is used");
            old.Description.Should().Contain("at version 0; version " + MySqlMigrations.CurrentVersion + " is needed");
            (await new ApplianceDatabase(bare).CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'rsdk%'"))
                .Should().Be(0, "a health check never applies migrations");
        }

        var nowhere = new MySqlConnectionStringBuilder(database) { Port = 1, ConnectionTimeout = 2 }.ConnectionString;
        await using (var services = WithHealthChecks(nowhere))
        {
            var down = await CheckAsync(services);
            down.Status.Should().Be(HealthStatus.Unhealthy);
            down.Description.Should().StartWith("The scheduler database is not reachable").And.NotContain(server.Password);
            down.Exception.Should().BeOfType<MySqlException>();
        }
    }

    [SkippableFact]
    public async Task MissingApplianceTable_StopsTheHostAtStart_WithTheTableNamed_AndStoreCallsSayTheSame()
    {
        server.RequireServer();
        var database = await server.CreateApplianceDatabaseAsync();
        await new ApplianceDatabase(database).ExecuteAsync("SET FOREIGN_KEY_CHECKS = 0; DROP TABLE replication_schedules; SET FOREIGN_KEY_CHECKS = 1");

        using var host = MySqlStack.Host(database, applyMigrations: true);
        var start = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<MySqlSchemaException>();
        start.Which.Message.Should().Contain("lacks the OMA appliance's tables replication_schedules");

        await using var services = MySqlStack.Services(database);
        var call = await FluentActions.Awaiting(() => services.GetRequiredService<IScheduleStore>().GetSchedulesAsync()).Should().ThrowAsync<MySqlSchemaException>();
        call.Which.Message.Should().Contain("replication_schedules", "not \"Table 'oma.replication_schedules' doesn't exist\" on every poll");
    }

    [SkippableFact]
    public async Task HostRegisteredDataSource_IsUsedWithoutAConnectionString_AndLeftToTheHost()
    {
        server.RequireServer();
        var database = await server.CreateApplianceDatabaseAsync();
        var dataSource = new MySqlDataSourceBuilder(database).Build();
        await using (dataSource.ConfigureAwait(false))
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(dataSource);
            services.AddReplicationScheduling().UseMySqlStores(o => o.ApplyMigrationsOnStart = true);
            await using (var provider = services.BuildServiceProvider())
            {
                provider.GetRequiredService<MySqlStoreContext>().DataSource.Should().BeSameAs(dataSource);
                await new ApplianceDatabase(database).AddScheduleAsync("nightly", "0 0 2 * * *");
                (await provider.GetRequiredService<IScheduleStore>().GetSchedulesAsync()).Should().ContainSingle(s => s.Id == "nightly");
            }

            // Disposing the container did not dispose the host's data source.
            var connection = await dataSource.OpenConnectionAsync();
            await connection.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task OwnDataSource_LogsThroughTheHostsLoggerFactory()
    {
        server.RequireServer();
        var database = await server.CreateApplianceDatabaseAsync();
        var categories = new ConcurrentBag<string>();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CategoryRecorder(categories)));
        services.AddReplicationScheduling().UseMySqlStores(o =>
        {
            o.ConnectionString = database;
            o.ApplyMigrationsOnStart = true;
        });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IScheduleStore>().GetSchedulesAsync();

        categories.Should().Contain(c => c.StartsWith("MySqlConnector.", StringComparison.Ordinal), "MySqlConnector's own log goes to the host's logger factory");
    }

    [Fact]
    public void ConnectionString_NotRequired_WhenTheHostRegistersADataSource()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new MySqlDataSource("Server=127.0.0.1;Database=oma"));
        services.AddReplicationScheduling().UseMySqlStores();
        using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MySqlStoreOptions>>().Value).Should().NotThrow();
    }

    [Fact]
    public void HostDataSource_WithLocalTimes_IsRefusedWithTheReason()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new MySqlDataSource("Server=127.0.0.1;Database=oma;DateTimeKind=Local"));
        services.AddReplicationScheduling().UseMySqlStores();
        using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IExecutionStore>()).Should().Throw<MySqlSchemaException>()
            .WithMessage("*DateTimeKind=Local*UTC*");
    }

    private static ServiceProvider WithHealthChecks(string connectionString, HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReplicationScheduling().UseMySqlStores(o => o.ConnectionString = connectionString);
        services.AddHealthChecks().AddReplicationMySqlStore(failureStatus: failureStatus);
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(ServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[MySqlStoreHealthChecksBuilderExtensions.DefaultName];

    private sealed class CategoryRecorder(ConcurrentBag<string> categories) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categories, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentBag<string> categories, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => categories.Add(category);
        }
    }
}
