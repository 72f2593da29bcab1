namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>What an RPO schedule must and must not have, and that cron schedules are read as before.</summary>
public sealed class RpoScheduleRulesTests
{
    private static readonly ReplicationSchedule Rpo = new() { Id = "r1", Name = "r1", CronExpression = "", Kind = ScheduleKind.Rpo, RpoTarget = TimeSpan.FromHours(4) };

    [Fact]
    public void Kind_DefaultsToCron_SoExistingSchedulesAreUnchanged() =>
        new ReplicationSchedule { Id = "c", Name = "c", CronExpression = "0 2 * * *" }.Kind.Should().Be(ScheduleKind.Cron);

    [Fact]
    public void Validate_RpoScheduleWithTargetAndNoCron_IsValid() => ScheduleValidator.Validate(Rpo, null).Should().BeEmpty();

    [Fact]
    public void Validate_RpoScheduleWithoutTarget_IsRefused() =>
        ScheduleValidator.Validate(Rpo with { RpoTarget = null }, null).Should().ContainSingle().Which.Should().Be("RpoTarget is required for an RPO schedule");

    [Fact]
    public void Validate_RpoScheduleWithACron_IsRefused() =>
        ScheduleValidator.Validate(Rpo with { CronExpression = "0 * * * *" }, null).Should().Contain("an RPO schedule has no CronExpression (was '0 * * * *')");

    [Fact]
    public void Validate_CronScheduleWithoutCron_IsStillRefused() =>
        ScheduleValidator.Validate(Rpo with { Kind = ScheduleKind.Cron }, null).Should().ContainSingle().Which.Should().Be("CronExpression is required");

    [Fact]
    public void Validate_UnknownKind_IsRefused() =>
        ScheduleValidator.Validate(Rpo with { Kind = (ScheduleKind)7 }, null).Should().ContainSingle().Which.Should().StartWith("Kind 7 is not a known value");

    [Fact]
    public void RpoTicks_AreTheMultiplesOfTheInterval_SinceTheEpoch()
    {
        var ticks = new RpoTicks(TimeSpan.FromSeconds(30));
        var at = new DateTimeOffset(2025, 3, 30, 0, 59, 59, 900, TimeSpan.Zero);

        ticks.GetNextOccurrence(at).Should().Be(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero));
        ticks.GetNextOccurrence(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero)).Should().Be(new DateTimeOffset(2025, 3, 30, 1, 0, 30, TimeSpan.Zero), "strictly after");
        ticks.GetOccurrences(at, at.AddMinutes(1)).Should().HaveCount(2);
    }
}
