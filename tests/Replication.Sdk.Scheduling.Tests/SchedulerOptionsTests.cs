using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.Tests;

public sealed class SchedulerOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var o = new SchedulerOptions();
        (o.MaxConcurrentJobs, o.DefaultStartingDeadline, o.JobPollInterval, o.JobPollMaxInterval, o.CheckParallelism, o.ScheduledBy)
            .Should().Be(((int?)null, TimeSpan.FromHours(1), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(2), 8, "scheduler"));
        (o.LeaseDuration, o.LeaseRenewInterval, o.StoreRetryAttempts, o.StoreRetryDelay)
            .Should().Be((TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20), 8, TimeSpan.FromMilliseconds(500)));
        var schedule = new ReplicationSchedule { Id = "s", Name = "s", CronExpression = "0 0 2 * * *" };
        (schedule.TimeZone, schedule.Enabled, schedule.MaxConcurrentJobs, schedule.RetryAttempts, schedule.RetryDelay, schedule.OverlapPolicy, schedule.MisfirePolicy)
            .Should().Be(("UTC", true, 1, 3, TimeSpan.FromMinutes(30), OverlapPolicy.Skip, MisfirePolicy.RunLatest));
        new MachineGroup { Id = "g", Name = "g" }.MaxConcurrentVms.Should().Be(5);
    }

    [Theory]
    [InlineData("Replication:Scheduler:MaxConcurrentJobs", "0", "Replication:Scheduler:MaxConcurrentJobs must be between 1 and 100000; was 0")]
    [InlineData("Replication:Scheduler:JobPollInterval", "00:00:00", "Replication:Scheduler:JobPollInterval must be between")]
    [InlineData("Replication:Scheduler:CheckParallelism", "99", "Replication:Scheduler:CheckParallelism must be between 1 and 64; was 99")]
    [InlineData("Replication:Scheduler:LeaseRenewInterval", "00:01:30", "Replication:Scheduler:LeaseRenewInterval (00:01:30) must be at most half of Replication:Scheduler:LeaseDuration (00:02:00)")]
    [InlineData("Replication:Scheduler:StoreRetryAttempts", "-1", "Replication:Scheduler:StoreRetryAttempts must be between 0 and 100; was -1")]
    [InlineData("Replication:Scheduler:Unknown", "1", "Replication:Scheduler")]
    [InlineData("Replication:Scheduler:StaleJobThreshold", "02:00:00", "StaleJobThreshold")] // moved to Replication:Jobs: a leftover key fails, never silently ignored
    [InlineData("Replication:Scheduler:LeaseRenewInterval", "10675199.02:48:05.4775807", "Replication:Scheduler:LeaseRenewInterval must be between")]
    [InlineData("Replication:Scheduler:LeaseDuration", "10675199.02:48:05.4775807", "Replication:Scheduler:LeaseDuration must be between")]
    [InlineData("Replication:Scheduler:StoreRetryDelay", "10675199.02:48:05.4775807", "Replication:Scheduler:StoreRetryDelay must be between")]
    [InlineData("Replication:Scheduler:MaxStartsPerSecond", "0", "Replication:Scheduler:MaxStartsPerSecond must be between 1 and 10000; was 0")]
    [InlineData("Replication:Scheduler:MaxPausedSkipRecords", "-1", "Replication:Scheduler:MaxPausedSkipRecords must be between 0 and 10000; was -1")]
    [InlineData("Replication:Scheduler:AutoPauseAfterFailures", "0", "Replication:Scheduler:AutoPauseAfterFailures must be between 1 and 100; was 0")]
    [InlineData("Replication:Scheduler:InMemoryHistoryLimit", "0", "Replication:Scheduler:InMemoryHistoryLimit must be between 1 and 10000000; was 0")]
    [InlineData("Replication:Scheduler:InstanceId", "host\nfake-line", "Replication:Scheduler:InstanceId must be at most 200 characters without control characters")]
    [InlineData("Replication:Scheduler:InstanceId", "a-very-long-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "must be at most 200 characters")]
    public async Task HostStart_InvalidSchedulerSetting_FailsNamingTheKey(string key, string value, string expected) =>
        (await StartFailureAsync(key, value)).Message.Should().Contain(expected);

    public static TheoryData<string, string> ExtremeValues()
    {
        // Every numeric and duration setting, at both ends of its type: none may reach arithmetic unchecked.
        var data = new TheoryData<string, string>();
        foreach (var property in typeof(SchedulerOptions).GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(TimeSpan))
            {
                data.Add(property.Name, TimeSpan.MaxValue.ToString());
                data.Add(property.Name, TimeSpan.MinValue.ToString());
            }
            else if (type == typeof(int))
            {
                data.Add(property.Name, int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
                data.Add(property.Name, int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExtremeValues))]
    public async Task HostStart_ExtremeValue_IsAValidationErrorNamingTheKey_NeverAnOverflow(string property, string value)
    {
        var error = await StartFailureAsync($"Replication:Scheduler:{property}", value);

        error.Message.Should().Contain($"Replication:Scheduler:{property}");
    }

    [Theory]
    [InlineData("Repl2:Scheduler:CheckParallelism", "999", "Repl2:Scheduler:CheckParallelism must be between 1 and 64; was 999")]
    [InlineData("Repl2:Scheduler:InstanceId", " ", "Repl2:Scheduler:InstanceId is required")]
    [InlineData("Repl2:Scheduler:Unknown", "1", "Repl2:Scheduler")]
    [InlineData("Repl2:Scheduler:MaxConcurrentJobs", "", "Repl2:Scheduler:MaxConcurrentJobs is set but empty")]
    [InlineData("Repl2:Jobs:OsseaConfigId", "-1", "Repl2:Jobs:OsseaConfigId must be positive")]
    public async Task HostStart_OtherSection_MessagesNameTheSectionActuallyBound(string key, string value, string expected)
    {
        var message = (await StartFailureAsync(key, value, "Repl2")).Message;

        message.Should().Contain(expected).And.NotContain("Replication:");
    }

    [Fact]
    public async Task HostStart_MySqlSectionWithoutTheMySqlStore_IsAnUnknownKey()
    {
        // The section belongs to UseMySqlStores; without it nobody reads it, and strictness says so.
        var message = (await StartFailureAsync("Replication:Scheduler:MySql:ConnectionString", "Server=x;Database=oma")).Message;

        message.Should().Contain("Replication:Scheduler").And.Contain("MySql");
    }

    [Fact]
    public void AddReplicationScheduling_WithAnotherSectionThanTheSdk_Fails()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk();

        var act = () => services.AddReplicationScheduling("Repl2");

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Replication'*'Repl2'*");
    }

    [Fact]
    public void AddReplicationScheduling_Twice_WithAnotherSection_Fails()
    {
        var services = new ServiceCollection();
        services.AddReplicationScheduling("Repl2");

        var act = () => services.AddReplicationScheduling("Repl3");

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Repl2'*'Repl3'*");
    }

    [Fact]
    public void AddReplicationScheduling_AfterAddReplicationSdkOfTheSameSection_ReportsThatSection()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk("Repl2");

        services.AddReplicationScheduling("Repl2").ConfigurationSection.Should().Be("Repl2");
    }

    [Fact]
    public void AddReplicationScheduling_Twice_IsHarmless()
    {
        var services = new ServiceCollection();
        services.AddReplicationScheduling();
        var count = services.Count;
        services.AddReplicationScheduling();
        services.Count.Should().Be(count);
    }

    private static async Task<OptionsValidationException> StartFailureAsync(string key, string value, string section = "Replication")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddReplicationScheduling(section);
        using var host = builder.Build();

        return (await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
    }
}
