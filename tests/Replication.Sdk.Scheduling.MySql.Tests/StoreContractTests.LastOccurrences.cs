namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>The start-up catch-up's batched read, for a few schedules and for more than one statement's worth.</summary>
public abstract partial class StoreContractTests
{
    [SkippableTheory]
    [InlineData(3)]
    [InlineData(650)]
    public async Task GetLastOccurrences_GivesEachScheduleItsLatestOccurrence_IgnoringManualRuns_AndLeavesOutTheOthers(int schedules)
    {
        Skip.If(Unavailable is not null, Unavailable);
        var ids = Enumerable.Range(0, schedules).Select(i => $"lo{i:D3}").ToArray();
        var (executions, _) = await CreateStoresAsync(ids);
        var expected = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        for (var i = 0; i < schedules; i++)
        {
            if (i % 3 == 2)
            {
                continue; // never ran
            }

            // Two occurrences, the later one first, and a manual run after both that must not count.
            var latest = At.AddHours(i % 24).AddMinutes(i);
            (await executions.TryCreateAsync(Scheduled($"{ids[i]}-b", ids[i], latest))).Should().BeTrue();
            (await executions.TryCreateAsync(Scheduled($"{ids[i]}-a", ids[i], latest.AddHours(-1)))).Should().BeTrue();
            (await executions.TryCreateAsync(Scheduled($"{ids[i]}-m", ids[i], latest.AddHours(5)) with { TriggerKind = TriggerKind.Manual })).Should().BeTrue();
            expected[ids[i]] = latest;
        }

        var last = await executions.GetLastOccurrencesAsync([.. ids, "unknown-schedule"]);

        last.Should().BeEquivalentTo(expected);
        foreach (var id in ids.Take(5))
        {
            (await executions.GetLastOccurrenceAsync(id)).Should().Be(expected.TryGetValue(id, out var at) ? at : null, "the batched read agrees with the single one");
        }
    }

    private static ScheduleExecution Scheduled(string id, string scheduleId, DateTimeOffset occurrence) => Execution(id) with
    {
        ScheduleId = scheduleId, ScheduledFor = occurrence, StartedAt = occurrence.AddMilliseconds(20), Status = ExecutionStatus.Completed, CompletedAt = occurrence.AddMinutes(1),
    };
}
