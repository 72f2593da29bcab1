namespace Replication.Sdk.Scheduling.MySql.Tests;

/// <summary>
/// <see cref="IExecutionStore.QueryAsync"/> on both stores against an oracle written here (not <see cref="ExecutionQuery.Matches"/>):
/// a seeded history with tied starts, mixed-case VM names and every status, random filter combinations, and paging
/// through every page.
/// </summary>
public abstract partial class StoreContractTests
{
    private static readonly string[] VmNames = ["Web-01", "web-01", "DB-02", "app"];

    [SkippableFact]
    public async Task Query_RandomFilters_MatchTheOracle_InOrder_WithTheTotal()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var history = await SeedHistoryAsync(seed: 20261203, count: 90);
        var random = new Random(7);

        for (var i = 0; i < 60; i++)
        {
            var query = RandomQuery(random, history);

            var page = await Executions.QueryAsync(query);

            var expected = Oracle(history, query);
            page.Total.Should().Be(expected.Count, $"query {i}: {query}");
            page.Items.Select(e => e.Id).Should().Equal(expected.Skip(query.Skip).Take(query.Take).Select(e => e.Id), $"query {i}: {query}");
        }
    }

    [SkippableFact]
    public async Task Query_PagingThroughEveryPage_ListsEachMatchOnce_NewestFirst()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var history = await SeedHistoryAsync(seed: 99, count: 50);
        var filter = new ExecutionQuery { ScheduleId = "s1", Take = 7 };

        var seen = new List<string>();
        for (var skip = 0; ; skip += filter.Take)
        {
            var page = await Executions.QueryAsync(filter with { Skip = skip });
            seen.AddRange(page.Items.Select(e => e.Id));
            if (page.Items.Count < filter.Take)
            {
                break;
            }
        }

        seen.Should().Equal(Oracle(history, filter).Select(e => e.Id)).And.OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task Query_ReturnsTheVmOutcomes_OfEachExecution()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var history = await SeedHistoryAsync(seed: 5, count: 10);

        var page = await Executions.QueryAsync(new ExecutionQuery { Take = 10 });

        foreach (var item in page.Items)
        {
            item.VmOutcomes.Should().BeEquivalentTo(history.Single(e => e.Id == item.Id).VmOutcomes, o => o.WithStrictOrdering());
        }
    }

    [SkippableTheory]
    [InlineData(-1, 10, "Skip")]
    [InlineData(0, 0, "Take")]
    [InlineData(0, ExecutionQuery.MaxTake + 1, "Take")]
    public async Task Query_OutOfRangePage_IsRefused_NamingTheBound(int skip, int take, string name)
    {
        Skip.If(Unavailable is not null, Unavailable);

        var refusal = await FluentActions.Awaiting(() => Executions.QueryAsync(new ExecutionQuery { Skip = skip, Take = take })).Should().ThrowAsync<ArgumentOutOfRangeException>();

        refusal.Which.ParamName.Should().Be(name);
    }

    [SkippableFact]
    public async Task Query_AnEmptyStartRange_IsRefused()
    {
        Skip.If(Unavailable is not null, Unavailable);

        await FluentActions.Awaiting(() => Executions.QueryAsync(new ExecutionQuery { StartedFrom = At, StartedBefore = At }))
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithMessage("*must be before StartedBefore*");
    }

    /// <summary>The contract, written out independently of the stores: every filter, newest start first, the greater id first on ties.</summary>
    private static List<ScheduleExecution> Oracle(IEnumerable<ScheduleExecution> history, ExecutionQuery q) =>
    [
        .. history
            .Where(e => q.ScheduleId is null || e.ScheduleId == q.ScheduleId)
            .Where(e => q.Status is null || e.Status == q.Status)
            .Where(e => q.TriggerKind is null || e.TriggerKind == q.TriggerKind)
            .Where(e => q.StartedFrom is null || e.StartedAt >= q.StartedFrom)
            .Where(e => q.StartedBefore is null || e.StartedAt < q.StartedBefore)
            .Where(e => q.Vm is null || e.VmOutcomes.Any(o => o.ContextId == q.Vm || string.Equals(o.VmName, q.Vm, StringComparison.OrdinalIgnoreCase)))
            .Where(e => !q.FailedOnly || e.Status is ExecutionStatus.Failed or ExecutionStatus.CompletedWithErrors
                || e.VmOutcomes.Any(o => o.Kind is VmOutcomeKind.CreateFailed or VmOutcomeKind.OutcomeUnknown or VmOutcomeKind.BlockedByStaleJob or VmOutcomeKind.JobFailed or VmOutcomeKind.JobStale))
            .OrderByDescending(e => e.StartedAt)
            .ThenByDescending(e => e.Id, StringComparer.Ordinal),
    ];

    private static ExecutionQuery RandomQuery(Random random, IReadOnlyList<ScheduleExecution> history)
    {
        var starts = history.Select(e => e.StartedAt).Order().ToArray();
        DateTimeOffset? from = random.Next(3) == 0 ? starts[random.Next(starts.Length)] : null;
        DateTimeOffset? before = random.Next(3) == 0 ? starts[random.Next(starts.Length)].AddTicks(10) : null;
        if (from is { } f && before is { } b && f >= b)
        {
            (from, before) = (null, b);
        }

        return new ExecutionQuery
        {
            ScheduleId = random.Next(3) switch { 0 => "s1", 1 => "s2", _ => null },
            Status = random.Next(3) == 0 ? Enum.GetValues<ExecutionStatus>()[random.Next(Enum.GetValues<ExecutionStatus>().Length)] : null,
            TriggerKind = random.Next(4) == 0 ? (random.Next(2) == 0 ? TriggerKind.Manual : TriggerKind.Scheduled) : null,
            StartedFrom = from,
            StartedBefore = before,
            Vm = random.Next(4) switch { 0 => VmNames[random.Next(VmNames.Length)].ToUpperInvariant(), 1 => $"c{random.Next(1, 5)}", _ => null },
            FailedOnly = random.Next(3) == 0,
            Skip = random.Next(3) == 0 ? random.Next(0, 20) : 0,
            Take = random.Next(1, 40),
        };
    }

    /// <summary>
    /// Executions over s1 and s2 with every status and trigger kind, starts at microsecond precision (what a database
    /// column keeps) with several ties, and 0 to 3 VM outcomes each with mixed-case names.
    /// </summary>
    private async Task<IReadOnlyList<ScheduleExecution>> SeedHistoryAsync(int seed, int count)
    {
        var random = new Random(seed);
        var statuses = Enum.GetValues<ExecutionStatus>();
        var kinds = Enum.GetValues<VmOutcomeKind>();
        var history = new List<ScheduleExecution>(count);
        for (var i = 0; i < count; i++)
        {
            var status = statuses[random.Next(statuses.Length)];

            // A fifth share the start of an earlier one, so the id must break ties.
            var started = i > 0 && random.Next(5) == 0 ? history[random.Next(i)].StartedAt : At.AddMinutes(random.Next(0, 5000)).AddTicks(random.Next(0, 600_000_000) / 10 * 10);
            var contexts = Enumerable.Range(1, 4).OrderBy(_ => random.Next()).Take(random.Next(0, 4)).ToList();
            var execution = new ScheduleExecution
            {
                Id = $"q{seed}-{i:D3}",
                ScheduleId = random.Next(2) == 0 ? "s1" : "s2",
                ScheduledFor = At.AddHours(i),
                TriggerKind = random.Next(3) == 0 ? TriggerKind.Manual : TriggerKind.Scheduled,
                TriggeredBy = "scheduler",
                Status = status,
                StartedAt = started,
                CompletedAt = status == ExecutionStatus.Running ? null : started.AddMinutes(3),
                VmOutcomes =
                [
                    .. contexts.Select(c => new VmOutcome
                    {
                        ContextId = $"c{c}", VmName = VmNames[random.Next(VmNames.Length)], GroupId = "g1", Kind = kinds[random.Next(kinds.Length)],
                    }),
                ],
            };
            (await Executions.TryCreateAsync(execution)).Should().BeTrue();
            history.Add(execution);
        }

        return history;
    }
}
