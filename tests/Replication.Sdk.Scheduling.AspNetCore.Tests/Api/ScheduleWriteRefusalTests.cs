using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The writes where they are refused before they reach the store: read-only mode (403), and a store that takes no writes (409).</summary>
public sealed class ScheduleWriteRefusalTests
{
    [Theory]
    [InlineData("PUT", "/api/replication/schedules/nightly", "update-schedule")]
    [InlineData("DELETE", "/api/replication/groups/web", "delete-group")]
    [InlineData("PUT", "/api/replication/groups/web/members/ctx-vm001", "add-member")]
    public async Task InReadOnlyMode_AWrite_Is403_AndAuditedAsRefused(string method, string path, string action)
    {
        await using var app = await TestApp.StartAsync(o => o.ReadOnly = true);
        using var client = app.CreateClient("erin");

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x", cronExpression = "0 2 * * *" }) });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "read-only");
        problem.GetProperty("detail").GetString().Should().Contain($"The {action} was refused");
        app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "erin", Action = action, Outcome = AuditOutcome.Refused });
        (await app.Store.GetGroupsAsync("nightly")).Should().ContainSingle("nothing was deleted");
    }

    [Theory]
    [InlineData("PUT", "/api/replication/schedules/nightly", "update-schedule")]
    [InlineData("DELETE", "/api/replication/schedules/nightly", "delete-schedule")]
    [InlineData("PUT", "/api/replication/groups/web", "update-group")]
    [InlineData("DELETE", "/api/replication/groups/web", "delete-group")]
    [InlineData("PUT", "/api/replication/groups/web/members/ctx-vm001", "add-member")]
    [InlineData("DELETE", "/api/replication/groups/web/members/ctx-vm001", "remove-member")]
    public async Task WithAStoreThatTakesNoWrites_AWrite_Is409StoreReadOnly_AndAuditedAsRefused(string method, string path, string action)
    {
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IScheduleStore>(sp => new ReadOnlyStore(sp.GetRequiredService<InMemoryScheduleStore>())));
        using var client = app.CreateClient("frank");
        app.App.Services.GetService<IScheduleStoreWriter>().Should().BeNull("the configured store is not a writer");

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x", cronExpression = "0 2 * * *" }) });

        var problem = await SchedulingApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict, "store-read-only");
        problem.GetProperty("detail").GetString().Should().Contain("AllowScheduleWrites");
        var record = app.Audit.Records.Should().ContainSingle().Subject;
        record.Should().BeEquivalentTo(new { Principal = "frank", Action = action, Outcome = AuditOutcome.Refused, Channel = "api" });
        record.Detail.Should().Contain("does not take writes");
        (await app.Store.GetScheduleAsync("nightly"))!.CronExpression.Should().Be("0 0 3 * * *");
        (await app.Store.GetMembershipsAsync(["web"])).Should().HaveCount(2);
        (await client.GetAsync("/api/replication/schedules/nightly")).StatusCode.Should().Be(HttpStatusCode.OK, "reads still work");
    }

    /// <summary>A host's store that only reads (it forwards to the seeded in-memory store, but is no <see cref="IScheduleStoreWriter"/>).</summary>
    private sealed class ReadOnlyStore(IScheduleStore inner) : IScheduleStore
    {
        public Task<IReadOnlyList<ReplicationSchedule>> GetSchedulesAsync(CancellationToken cancellationToken = default) => inner.GetSchedulesAsync(cancellationToken);

        public Task<ReplicationSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetScheduleAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<MachineGroup>> GetGroupsAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetGroupsAsync(scheduleId, cancellationToken);

        public Task<IReadOnlyList<GroupMembership>> GetMembershipsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) => inner.GetMembershipsAsync(groupIds, cancellationToken);

        public Task<IReadOnlyList<ScheduledVm>> GetVmContextsAsync(IReadOnlyCollection<string> contextIds, CancellationToken cancellationToken = default) => inner.GetVmContextsAsync(contextIds, cancellationToken);

        public IChangeToken GetChangeToken() => inner.GetChangeToken();
    }
}
