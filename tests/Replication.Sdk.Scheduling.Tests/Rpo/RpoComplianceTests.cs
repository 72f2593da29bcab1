namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The age-above-target arithmetic shared by the simulation and the past compliance of the status.</summary>
public sealed class RpoComplianceTests
{
    private static readonly DateTimeOffset Now = new(2025, 10, 26, 12, 0, 0, 250, TimeSpan.Zero);
    private static readonly TimeSpan R = TimeSpan.FromHours(4);

    [Theory]
    // last, from, to (hours before now): the age exceeds R from last + 4 h.
    [InlineData(10.0, 8.0, 0.0, 6.0)]  // breached from 6 h ago
    [InlineData(3.0, 2.0, 0.0, 0.0)]   // never above R
    [InlineData(7.0, 2.0, 0.0, 2.0)]   // above R for the whole span
    [InlineData(5.0, 2.0, 0.0, 1.0)]   // above R for its last hour
    [InlineData(5.0, 0.0, 2.0, 0.0)]   // an empty (reversed) span
    public void Outside_IsTheTimeFromLastPlusR(double last, double from, double to, double outside) =>
        RpoCompliance.Outside(Now.AddHours(-last), Now.AddHours(-from), Now.AddHours(-to), R).Should().Be(TimeSpan.FromHours(outside));

    [Fact]
    public void Outside_WithoutAReplica_IsTheWholeSpan() =>
        RpoCompliance.Outside(null, Now.AddHours(-3), Now, R).Should().Be(TimeSpan.FromHours(3));

    [Fact]
    public void PastPercent_NoCompletionKnown_IsNull() => RpoCompliance.PastPercent([], Now, TimeSpan.FromDays(1), R).Should().BeNull();

    [Fact]
    public void PastPercent_CountsEachGapAboveTarget_InTheSpan()
    {
        // Completions 30, 20 and 10 hours ago: over the last 24 h the age is above 4 h for 4 + 6 + 6 = 16 h.
        DateTimeOffset[] completions = [Now.AddHours(-10), Now.AddHours(-30), Now.AddHours(-20)];

        RpoCompliance.PastPercent(completions, Now, TimeSpan.FromHours(24), R).Should().BeApproximately(100.0 * 8 / 24, 1e-9);

        // Over 7 days only the 30 h since the first known completion count: 6 + 6 + 6 = 18 h above.
        RpoCompliance.PastPercent(completions, Now, TimeSpan.FromDays(7), R).Should().BeApproximately(100.0 * 12 / 30, 1e-9);
    }

    [Fact]
    public void PastPercent_AlwaysFresh_IsHundred()
    {
        var completions = Enumerable.Range(1, 20).Select(i => Now.AddHours(-3 * i)).ToList();

        RpoCompliance.PastPercent(completions, Now, TimeSpan.FromDays(1), R).Should().Be(100);
    }
}
