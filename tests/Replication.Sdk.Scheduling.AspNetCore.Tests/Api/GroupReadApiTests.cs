using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// Groups with no schedule (a deleted schedule's, or one created without) are as visible as any: listed, read by id,
/// in their VMs' memberships, and pausable.
/// </summary>
public sealed class GroupReadApiTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _app.Store.Upsert(new MachineGroup { Id = "spare", Name = "Spare pool", MaxConcurrentVms = 3, Priority = 4 });
        _app.Store.Upsert(new GroupMembership { GroupId = "spare", VmContextId = "ctx-vm001", Enabled = false, AddedAt = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero) });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ListAllGroups_HasTheGroupsWithNoSchedule_WithTheirMemberCountsAndPause()
    {
        using var client = _app.CreateClient();
        (await ScheduleWriteApiTests.DeleteAsync(client, "/api/replication/schedules/archive")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "patching" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var groups = await client.GetFromJsonAsync<JsonElement>("/api/replication/groups");

        groups.EnumerateArray().Select(g => (
                g.GetProperty("id").GetString(), g.GetProperty("scheduleId").GetString(), g.GetProperty("memberCount").GetInt32(),
                g.GetProperty("enabledMemberCount").GetInt32(), g.GetProperty("pause").ValueKind == JsonValueKind.Object))
            .Should().Equal(
                ("legacy", null, 1, 1, false),    // its schedule was deleted: it stays, with no schedule
                ("spare", null, 1, 0, false),     // created with none
                ("web", "nightly", 2, 2, true));
        var spare = groups.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "spare");
        (spare.GetProperty("name").GetString(), spare.GetProperty("maxConcurrentVms").GetInt32(), spare.GetProperty("priority").GetInt32()).Should().Be(("Spare pool", 3, 4));
    }

    [Fact]
    public async Task GetGroup_ReadsAGroupWithNoSchedule_WithItsMembers_AndAnUnknownId_IsA404Problem()
    {
        using var client = _app.CreateClient();

        var spare = await client.GetFromJsonAsync<JsonElement>("/api/replication/groups/spare");
        var web = await client.GetFromJsonAsync<JsonElement>("/api/replication/groups/web");
        var missing = await client.GetAsync("/api/replication/groups/nope");

        spare.GetProperty("scheduleId").ValueKind.Should().Be(JsonValueKind.Null);
        spare.GetProperty("rpo").GetProperty("target").ValueKind.Should().Be(JsonValueKind.Null, "no schedule, no RPO target");
        var member = spare.GetProperty("members").EnumerateArray().Should().ContainSingle().Subject;
        (member.GetProperty("contextId").GetString(), member.GetProperty("vmName").GetString(), member.GetProperty("enabled").GetBoolean()).Should().Be(("ctx-vm001", "vm001", false));
        web.GetProperty("scheduleId").GetString().Should().Be("nightly");
        web.GetProperty("rpo").GetProperty("target").GetString().Should().Be("1.02:00:00", "a scheduled group's view is the one its schedule lists");
        web.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("contextId").GetString()).Should().Equal("ctx-vm001", "ctx-vm002");
        (await SchedulingApiTests.ShouldBeProblemAsync(missing, HttpStatusCode.NotFound, "group-not-found")).GetProperty("groupId").GetString().Should().Be("nope");
    }

    [Fact]
    public async Task GetVm_ListsItsMembershipsInGroupsWithNoSchedule_Too()
    {
        using var client = _app.CreateClient();
        (await ScheduleWriteApiTests.DeleteAsync(client, "/api/replication/schedules/archive")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var vm001 = await client.GetFromJsonAsync<JsonElement>("/api/replication/vms/ctx-vm001");
        var xss = await client.GetFromJsonAsync<JsonElement>("/api/replication/vms/ctx-xss");

        vm001.GetProperty("memberships").EnumerateArray().Select(m => (m.GetProperty("scheduleId").GetString(), m.GetProperty("scheduleName").GetString(), m.GetProperty("groupId").GetString(), m.GetProperty("enabled").GetBoolean()))
            .Should().Equal(("nightly", "Nightly production", "web", true), (null, null, "spare", false));
        var legacy = xss.GetProperty("memberships").EnumerateArray().Should().ContainSingle("its group outlived its schedule").Subject;
        (legacy.GetProperty("groupId").GetString(), legacy.GetProperty("scheduleId").ValueKind, legacy.GetProperty("rpoTarget").ValueKind).Should().Be(("legacy", JsonValueKind.Null, JsonValueKind.Null));
    }

    [Fact]
    public async Task AGroupWithNoSchedule_CanBePaused()
    {
        using var client = _app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/replication/groups/spare/pause", new { reason = "decommissioning" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/replication/groups/spare")).GetProperty("pause").GetProperty("reason").GetString().Should().Be("decommissioning");
    }

    [Fact]
    public async Task TheDashboardsVmPage_ShowsTheMembershipsInGroupsWithNoSchedule()
    {
        using var client = _app.CreateClient();

        var html = await client.GetStringAsync("/replication/vms/ctx-vm001");

        html.Should().Contain("href=\"/replication/schedules/nightly\">Nightly production</a>").And.Contain("Web servers");
        html.Should().Contain("<span class=\"muted\">no schedule</span>").And.Contain("Spare pool");
    }
}
