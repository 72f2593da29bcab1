using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

public sealed class EvaluatorRegistrationTests
{
    [Fact]
    public void Default_IsTheCronEvaluatorWithConfiguredDayMatching()
    {
        var services = new ServiceCollection();
        services.AddReplicationScheduling().ConfigureCron(o => o.DayMatching = CronDayMatching.Both);
        using var provider = services.BuildServiceProvider();

        var evaluator = provider.GetRequiredService<IScheduleEvaluator>();

        evaluator.Should().BeOfType<CronScheduleEvaluator>();
        // 13th AND Monday: the first is 2025-01-13; with OR it would be 2025-01-06.
        evaluator.Parse("0 0 13 * MON", "UTC").GetNextOccurrence(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
            .Should().Be(new DateTimeOffset(2025, 1, 13, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void UseScheduleEvaluator_ReplacesTheDefault()
    {
        var services = new ServiceCollection();
        services.AddReplicationScheduling().UseScheduleEvaluator<EveryFiveMinutesEvaluator>();
        services.AddReplicationScheduling();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IScheduleEvaluator>().Should().BeOfType<EveryFiveMinutesEvaluator>();
        services.Count(d => d.ServiceType == typeof(IScheduleEvaluator)).Should().Be(1);
    }

    /// <summary>A custom evaluator as a host might plug in: its own expression language.</summary>
    internal sealed class EveryFiveMinutesEvaluator : IScheduleEvaluator
    {
        public ISchedule Parse(string expression, string timeZoneId) => new CronScheduleEvaluator().Parse("*/5 * * * *", timeZoneId);

        public bool TryParse(string expression, string timeZoneId, [NotNullWhen(true)] out ISchedule? schedule, out string? error)
        {
            schedule = Parse(expression, timeZoneId);
            error = null;
            return true;
        }
    }
}
