using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// Two API instances on one store (here an in-memory store both hosts use): an If-Match is the store's precondition,
/// checked with the write, so two PUTs with the same tag through different instances never both succeed.
/// </summary>
public sealed class SharedStoreConditionalWriteTests : IAsyncLifetime
{
    private const int Rounds = 20;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryScheduleStore _shared;
    private TestApp[] _apps = [];

    public SharedStoreConditionalWriteTests() => _shared = new InMemoryScheduleStore(new CronScheduleEvaluator(), _time);

    public async Task InitializeAsync() => _apps =
    [
        await TestApp.StartAsync(time: _time, services: s => s.AddSingleton(_shared)),
        await TestApp.StartAsync(time: _time, services: s => s.AddSingleton(_shared)),
    ];

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _shared.Dispose();
    }

    [Fact]
    public async Task RacingPutsWithTheSameIfMatch_ThroughTwoInstances_AreOne200AndOne412_EveryRound_BothAudited()
    {
        _apps[0].Store.Should().BeSameAs(_apps[1].Store, "both instances share one store");
        var clients = _apps.Select((app, i) => app.CreateClient(i == 0 ? "alice" : "bob")).ToArray();
        var wins = new int[2];
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var tag = ConditionalWriteTests.ETag(await clients[0].GetAsync("/api/replication/schedules/nightly"));
                ConditionalWriteTests.ETag(await clients[1].GetAsync("/api/replication/schedules/nightly")).Should().Be(tag, "both instances read the same version");

                var answers = await Task.WhenAll(clients.Select((client, i) => ConditionalWriteTests.PutAsync(
                    client, "/api/replication/schedules/nightly", tag, new { name = "Nightly production", cronExpression = Cron(round, i), timeZone = "Europe/London" })));

                answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], $"round {round}");
                var winner = Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.OK);
                wins[winner]++;
                await SchedulingApiTests.ShouldBeProblemAsync(answers[1 - winner], HttpStatusCode.PreconditionFailed, "precondition-failed");
                (await _shared.GetScheduleAsync("nightly"))!.CronExpression.Should().Be(Cron(round, winner), "the stored settings are the winner's");
                ConditionalWriteTests.ETag(answers[winner]).Should().Be(ConditionalWriteTests.ETag(await clients[1 - winner].GetAsync("/api/replication/schedules/nightly")));
                foreach (var answer in answers)
                {
                    answer.Dispose();
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        var records = _apps.SelectMany(a => a.Audit.Records).ToList();
        records.Should().HaveCount(2 * Rounds).And.OnlyContain(r => r.Action == "update-schedule");
        records.Count(r => r.Outcome == AuditOutcome.Succeeded).Should().Be(Rounds);
        records.Where(r => r.Outcome == AuditOutcome.Refused).Should().HaveCount(Rounds).And.OnlyContain(r => r.Detail!.Contains("has changed", StringComparison.Ordinal));
        for (var i = 0; i < 2; i++)
        {
            // Each instance audits what it answered: its 200s as succeeded, its 412s as refused.
            _apps[i].Audit.Records.Count(r => r.Outcome == AuditOutcome.Succeeded).Should().Be(wins[i]);
            _apps[i].Audit.Records.Count(r => r.Outcome == AuditOutcome.Refused).Should().Be(Rounds - wins[i]);
        }
    }

    private static string Cron(int round, int writer) => $"0 {round} {3 + writer} * * *";
}
