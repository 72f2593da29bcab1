using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>The parser's zone cache is transparent: the instances .NET hands out, renewed when .NET's cache is cleared, and bounded.</summary>
[Collection(ZoneDataCollection.Name)]
public sealed class TimeZoneCacheTests
{
    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public void TryFind_ReturnsTheInstanceDotNetReturns(string id)
    {
        TimeZoneCache.TryFind(id, out var first).Should().BeTrue();
        TimeZoneCache.TryFind(id, out var second).Should().BeTrue();

        first.Should().BeSameAs(TimeZoneInfo.FindSystemTimeZoneById(id));
        second.Should().BeSameAs(first);
    }

    [Fact]
    public void TryFind_OfAnUnknownId_FailsAndKeepsNothing()
    {
        TimeZoneCache.TryFind("Mars/Olympus_Mons", out var zone).Should().BeFalse();
        TimeZoneCache.TryFind("Mars/Olympus_Mons", out _).Should().BeFalse();

        zone.Should().BeNull();
        TimeZoneCache.Contains("Mars/Olympus_Mons").Should().BeFalse();
    }

    [Fact]
    public void TryGetCached_OfManyIdsInTurn_FindsEach_AndAllocatesNothing()
    {
        // More ids than the cache has slots, so some share one: those go to the map, and nothing is allocated per look-up.
        var ids = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Take(300).ToArray();
        var zones = new TimeZoneInfo[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            TimeZoneCache.TryFind(ids[i], out var zone).Should().BeTrue(ids[i]);
            zones[i] = zone!;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (!TimeZoneCache.TryGetCached(ids[i], out var transitions) || !ReferenceEquals(transitions.Zone, zones[i]))
                {
                    Assert.Fail($"'{ids[i]}' was not found as the zone it resolved to");
                }
            }
        }

        (GC.GetAllocatedBytesForCurrentThread() - allocated).Should().Be(0);
    }

    [Fact]
    public void TryFind_AfterClearCachedData_ReturnsTheNewInstances()
    {
        TimeZoneCache.TryFind("Europe/Paris", out var before).Should().BeTrue();

        TimeZoneInfo.ClearCachedData();
        TimeZoneCache.TryFind("Europe/Paris", out var after).Should().BeTrue();

        // Like a direct lookup: a new instance after the clear, the one .NET now hands out.
        after.Should().NotBeSameAs(before);
        after.Should().BeSameAs(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
    }

    [Fact]
    public void Evaluator_ParsesWithTheCachedZone_AndStillRejectsUnknownIds()
    {
        var evaluator = new CronScheduleEvaluator();

        evaluator.Parse("0 2 * * *", "America/Chicago").TimeZone.Should().BeSameAs(TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        evaluator.Parse("0 2 * * *", " America/Chicago ").TimeZone.Id.Should().Be("America/Chicago");
        var parse = () => evaluator.Parse("0 2 * * *", "America/Chicagoo");
        parse.Should().Throw<ScheduleFormatException>().Which.Message.Should().Contain("'America/Chicagoo' is not a time zone id this host knows");
    }

    [Fact]
    public void TryFind_KeepsAtMostItsBound_HoweverManySpellings()
    {
        // Every case spelling of one id resolves (.NET matches ids without regard to case) and is a distinct key here.
        const string id = "America/Argentina/Buenos_Aires";
        TimeZoneCache.TryFind(id, out var canonical).Should().BeTrue();
        var letters = id.Select((c, i) => (c, i)).Where(x => char.IsAsciiLetter(x.c)).Select(x => x.i).ToArray();
        for (var variant = 1; variant <= TimeZoneCache.MaxEntries + 100; variant++)
        {
            var spelling = id.ToCharArray();
            for (var bit = 0; bit < letters.Length && bit < 31; bit++)
            {
                if ((variant & (1 << bit)) != 0)
                {
                    spelling[letters[bit]] = char.IsUpper(spelling[letters[bit]]) ? char.ToLowerInvariant(spelling[letters[bit]]) : char.ToUpperInvariant(spelling[letters[bit]]);
                }
            }

            TimeZoneCache.TryFind(new string(spelling), out var zone).Should().BeTrue();
            zone!.Id.Should().Be(canonical!.Id);
        }

        TimeZoneCache.Count.Should().BeLessThanOrEqualTo(TimeZoneCache.MaxEntries);

        // A fresh generation for the rest of the run, as after any clear.
        TimeZoneInfo.ClearCachedData();
        TimeZoneCache.TryFind(id, out _).Should().BeTrue();
        TimeZoneCache.Count.Should().BeLessThan(TimeZoneCache.MaxEntries);
    }
}
