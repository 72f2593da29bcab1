using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Model;

/// <summary>The window's text form: what it accepts, what it refuses (naming the token and position), and round trips.</summary>
public sealed class ReplicationWindowTests
{
    [Theory]
    [InlineData("Mon-Fri 22:00-06:00; Sat,Sun 00:00-24:00", "Mon-Thu 22:00-06:00; Fri 22:00-24:00; Sat,Sun 00:00-24:00")] // Friday night runs into the whole weekend
    [InlineData("Mon-Fri 22:00-06:00; Sat 08:00-20:00", "Mon-Fri 22:00-06:00; Sat 08:00-20:00")]
    [InlineData("mon-sun 00:00-24:00", "Mon-Sun 00:00-24:00")]
    [InlineData("  Monday 01:00-03:00 ,  20:00-22:00 ", "Mon 01:00-03:00,20:00-22:00")]
    [InlineData("Sun 22:00-02:00", "Sun 22:00-02:00")] // wraps into Monday
    [InlineData("Sat 22:00-00:00", "Sat 22:00-24:00")] // an end of 00:00 is midnight
    [InlineData("Fri-Mon 09:00-10:00", "Mon,Fri-Sun 09:00-10:00")] // a range may wrap over the week's end
    [InlineData("Mon 01:00-02:00; Mon 01:00-04:00", "Mon 01:00-04:00")] // overlapping spans: their union
    [InlineData("Mon,Wed,Thu,Sat 05:00-06:00", "Mon,Wed,Thu,Sat 05:00-06:00")]
    [InlineData("Mon 23:00-24:00; Tue 00:00-24:00", "Mon 23:00-24:00; Tue 00:00-24:00")] // a whole day is not taken into the day before
    [InlineData("Tue 5:00-7:00", "Tue 05:00-07:00")]
    public void Parse_Valid_FormatsCanonically(string text, string canonical)
    {
        var window = ReplicationWindow.Parse(text);

        window.ToString().Should().Be(canonical);
        ReplicationWindow.Parse(canonical).Should().Be(window);
    }

    [Fact]
    public void Parse_SpanPastMidnight_BelongsToTheDayItStartsOn()
    {
        var window = ReplicationWindow.Parse("Fri 22:00-06:00");

        window.IsAllowed(DayOfWeek.Friday, 21).Should().BeFalse();
        window.IsAllowed(DayOfWeek.Friday, 22).Should().BeTrue();
        window.IsAllowed(DayOfWeek.Friday, 23).Should().BeTrue();
        window.IsAllowed(DayOfWeek.Saturday, 0).Should().BeTrue();
        window.IsAllowed(DayOfWeek.Saturday, 5).Should().BeTrue();
        window.IsAllowed(DayOfWeek.Saturday, 6).Should().BeFalse();
        window.IsAllowed(DayOfWeek.Friday, 0).Should().BeFalse("Thursday's night is not listed");
    }

    [Theory]
    [InlineData("", "", 0, "lists no days")]
    [InlineData("   ", "", 3, "lists no days")]
    [InlineData("Mon", "", 3, "expected a time of day")]
    [InlineData("Mon 22:30-06:00", "22:30", 4, "whole hours")]
    [InlineData("Mon 22:00-06:15", "06:15", 10, "whole hours")]
    [InlineData("Mon 24:00-06:00", "24:00", 4, "00 to 23")]
    [InlineData("Mon 01:00-25:00", "25:00", 10, "00 to 24")]
    [InlineData("Mon 05:00-05:00", "05:00", 10, "must not be empty")]
    [InlineData("Mon 05:00 06:00", "06:00", 10, "'-'")]
    [InlineData("Xyz 05:00-06:00", "Xyz", 0, "expected a day")]
    [InlineData("Mon-Funday 05:00-06:00", "Funday", 4, "ends the range")]
    [InlineData("Mon 05:00-06:00 Tue 01:00-02:00", "Tue", 16, "expected ';'")]
    [InlineData("Mon 05:00-06:00;", "", 16, "expected a day")]
    [InlineData("Mon 05:00-06:00 # night", "#", 16, "unexpected character")]
    [InlineData("Mon 0500-0600", "0500", 4, "HH:00")]
    [InlineData("Mon 05:00:00-06:00", "05:00:00", 4, "HH:00")]
    [InlineData("Mon, 05:00-06:00", ",", 3, "expected a time")]
    public void Parse_Invalid_NamesTokenAndPosition(string text, string token, int position, string problem)
    {
        var act = () => ReplicationWindow.Parse(text);

        var error = act.Should().Throw<ReplicationWindowFormatException>().Which;
        error.Token.Should().Be(token);
        error.Position.Should().Be(position);
        error.Problem.Should().Contain(problem);
        error.Text.Should().Be(text);
        error.Message.Should().Contain($"position {position}");
        ReplicationWindow.TryParse(text, out var window, out var message).Should().BeFalse();
        window.Should().BeNull();
        message.Should().Be(error.Message);
    }

    [Fact]
    public void TryParse_Null_IsFalse() =>
        ReplicationWindow.TryParse(null, out _).Should().BeFalse();

    [Fact]
    public void Always_AllowsEveryHour_AndRoundTrips()
    {
        var always = ReplicationWindow.Always;

        always.IsAlways.Should().BeTrue();
        always.ToString().Should().Be("Mon-Sun 00:00-24:00");
        ReplicationWindow.Parse("Mon-Sun 00:00-24:00").Should().Be(always);
        ReplicationWindow.Parse("Mon-Fri 00:00-24:00").IsAlways.Should().BeFalse();
    }

    [Fact]
    public void Create_NoHour_Throws()
    {
        var act = () => ReplicationWindow.Create((_, _) => false);

        act.Should().Throw<ArgumentException>().WithMessage("*at least one hour*");
    }

    [Fact]
    public void Equality_IsByValue()
    {
        var a = ReplicationWindow.Parse("Mon-Fri 22:00-06:00");
        var b = ReplicationWindow.Create((d, h) => (d is >= DayOfWeek.Monday and <= DayOfWeek.Friday && h >= 22) || (d is >= DayOfWeek.Tuesday and <= DayOfWeek.Saturday && h < 6));

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a != ReplicationWindow.Always).Should().BeTrue();
    }

    /// <summary>Random grids: the canonical text parses back to the same grid, and formatting that again gives the same text.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20261203)]
    public void RoundTrip_RandomGrids(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 2_000; i++)
        {
            // Vary the density so sparse, dense, whole-day and wrapping shapes all appear.
            var density = random.NextDouble();
            var grid = new bool[7, 24];
            var runs = random.Next(2) == 0;
            for (var d = 0; d < 7; d++)
            {
                for (var h = 0; h < 24; h++)
                {
                    grid[d, h] = runs && h > 0 ? (random.NextDouble() < 0.15 ? !grid[d, h - 1] : grid[d, h - 1]) : random.NextDouble() < density;
                }
            }

            grid[random.Next(7), random.Next(24)] = true;
            var window = ReplicationWindow.Create((d, h) => grid[(int)d, h]);

            var text = window.ToString();
            var parsed = ReplicationWindow.Parse(text);

            parsed.Should().Be(window, $"seed {seed} case {i}: {text}");
            parsed.ToString().Should().Be(text);
            for (var d = 0; d < 7; d++)
            {
                for (var h = 0; h < 24; h++)
                {
                    parsed.IsAllowed((DayOfWeek)d, h).Should().Be(grid[d, h]);
                }
            }
        }
    }
}
