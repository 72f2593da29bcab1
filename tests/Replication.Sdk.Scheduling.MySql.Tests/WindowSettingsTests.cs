using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;

namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>Replication windows and blackouts in the schedule stores: <c>rsdk_schedule_settings.window_text</c>, <c>outside_window_policy</c> and <c>rsdk_blackouts</c> (migration 8).</summary>
[Collection(MariaDbCollection.Name)]
public sealed class WindowSettingsTests(MariaDbServer server) : MigratedDatabaseTests(server)
{
    private static readonly DateTimeOffset At = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private MySqlScheduleStore Store => Services.GetRequiredService<MySqlScheduleStore>();

    [SkippableFact]
    public async Task WindowPolicyAndBlackouts_AreMapped()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.AddScheduleAsync("s2", "0 3 * * *");
        await Db.ExecuteAsync("INSERT INTO rsdk_schedule_settings (schedule_id, window_text, outside_window_policy) VALUES ('s1', 'mon-fri 22:00-06:00', 'defer')");
        await Db.ExecuteAsync(
            """
            INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc, reason) VALUES
              ('s1', '2025-06-02 01:00:00.250000', '2025-06-02 05:00:00', 'storage maintenance'),
              ('s1', '2025-06-01 01:00:00', '2025-06-01 02:00:00', NULL),
              ('s2', '2025-07-01 00:00:00', '2025-07-02 00:00:00', 'change freeze')
            """);

        var schedules = await Store.GetSchedulesAsync();

        var s1 = schedules.Single(s => s.Id == "s1");
        s1.Window.Should().Be(ReplicationWindow.Parse("Mon-Fri 22:00-06:00"));
        s1.OutsideWindowPolicy.Should().Be(OutsideWindowPolicy.Defer);
        s1.Blackouts.Should().Equal(
            new BlackoutPeriod(At.AddHours(-1), At, null),
            new BlackoutPeriod(At.AddDays(1).AddHours(-1).AddMilliseconds(250), At.AddDays(1).AddHours(3), "storage maintenance"));
        var s2 = schedules.Single(s => s.Id == "s2");
        s2.Window.Should().BeNull("no settings row: always open");
        s2.OutsideWindowPolicy.Should().Be(OutsideWindowPolicy.Skip);
        s2.Blackouts.Should().ContainSingle().Which.Reason.Should().Be("change freeze");
        (await Store.GetScheduleAsync("s1")).Should().Be(s1, "one schedule's read maps the same, and records with equal blackouts are equal");
    }

    [SkippableTheory]
    [InlineData("window_text", "'Mon 22:30-06:00'")]
    [InlineData("outside_window_policy", "'Later'")]
    public async Task InvalidSettings_LeaveTheScheduleOut(string column, string value)
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("bad", "0 2 * * *");
        await Db.AddScheduleAsync("good", "0 2 * * *");
        await Db.ExecuteAsync($"INSERT INTO rsdk_schedule_settings (schedule_id, {column}) VALUES ('bad', {value})");

        var schedules = await Store.GetSchedulesAsync();

        schedules.Select(s => s.Id).Should().Equal("good");
        (await Store.GetScheduleAsync("bad")).Should().BeNull();
    }

    [SkippableFact]
    public async Task ABackwardsBlackoutRow_LeavesTheScheduleOut()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("bad", "0 2 * * *");
        await Db.ExecuteAsync("INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc, reason) VALUES ('bad', '2025-06-02 05:00:00', '2025-06-02 01:00:00', 'typo')");

        (await Store.GetSchedulesAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task EditingTheWindowOrABlackout_FiresTheChangeToken()
    {
        Server.RequireServer();
        await Db.AddScheduleAsync("s1", "0 2 * * *");
        await Db.ExecuteAsync("INSERT INTO rsdk_schedule_settings (schedule_id, window_text) VALUES ('s1', 'Mon-Fri 22:00-06:00')");
        var token = Store.GetChangeToken();
        await Store.GetSchedulesAsync();
        await Store.PollAsync();
        token.HasChanged.Should().BeFalse();

        await Db.ExecuteAsync("UPDATE rsdk_schedule_settings SET window_text = 'Mon-Fri 21:00-06:00' WHERE schedule_id = 's1'");
        await Store.PollAsync();
        token.HasChanged.Should().BeTrue("the window changed");

        foreach (var edit in new[]
        {
            "UPDATE rsdk_schedule_settings SET outside_window_policy = 'Defer' WHERE schedule_id = 's1'",
            "INSERT INTO rsdk_blackouts (schedule_id, from_utc, to_utc, reason) VALUES ('s1', '2025-06-02 01:00:00', '2025-06-02 05:00:00', 'maintenance')",
            "UPDATE rsdk_blackouts SET reason = 'maintenance, extended' WHERE schedule_id = 's1'",
            "UPDATE rsdk_blackouts SET to_utc = '2025-06-02 06:00:00' WHERE schedule_id = 's1'",
            "DELETE FROM rsdk_blackouts WHERE schedule_id = 's1'",
        })
        {
            await Store.GetSchedulesAsync();
            var next = Store.GetChangeToken();
            await Store.PollAsync();
            next.HasChanged.Should().BeFalse();
            await Db.ExecuteAsync(edit);
            await Store.PollAsync();
            next.HasChanged.Should().BeTrue(edit);
        }
    }

    [Fact]
    public async Task InMemoryStore_KeepsWhatItIsGiven()
    {
        var store = new InMemoryScheduleStore();
        var schedule = new ReplicationSchedule
        {
            Id = "s1", Name = "s1", CronExpression = "0 2 * * *", Window = ReplicationWindow.Parse("Sat,Sun 00:00-24:00"), OutsideWindowPolicy = OutsideWindowPolicy.Defer,
            Blackouts = [new BlackoutPeriod(At, At.AddHours(4), "freeze")],
        };
        store.Upsert(schedule);

        var read = await store.GetScheduleAsync("s1");

        read.Should().Be(schedule);
        read!.Blackouts.Should().ContainSingle().Which.Reason.Should().Be("freeze");
        (read with { Blackouts = [new BlackoutPeriod(At, At.AddHours(4), "freeze")] }).Should().Be(schedule, "blackouts compare by value");
        (read with { Blackouts = [] }).Should().NotBe(schedule);
    }
}
