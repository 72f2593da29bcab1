namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary><see cref="ScheduleIds"/>: the ids every store can hold, and why the others cannot be.</summary>
public sealed class ScheduleIdsTests
{
    [Theory]
    [InlineData("nightly")]
    [InlineData("fichiers-été")]
    [InlineData("a b")]
    [InlineData("vm-😀")]
    public void AReadableId_WithinItsLength_IsAccepted(string id) => ScheduleIds.Problem(id, 64).Should().BeNull();

    [Theory]
    [InlineData(null, "it is empty")]
    [InlineData("", "it is empty")]
    [InlineData("a\nb", "it has the control or formatting character U+000A at position 2")]
    [InlineData("a\u0085b", "U+0085")]
    [InlineData("a\u202Eb", "U+202E")]
    [InlineData("a\u2028b", "U+2028")]
    [InlineData(" a", "it begins or ends with white space")]
    [InlineData("a\u3000", "it begins or ends with white space")]
    public void AnUnreadableId_IsRefused_SayingWhy(string? id, string why) => ScheduleIds.Problem(id, 64).Should().Contain(why);

    [Fact]
    public void AnUnpairedSurrogate_IsRefused()
    {
        // Built here: a test case's data would carry the lone surrogate as U+FFFD.
        ScheduleIds.Problem("a" + '\uD800' + "b", 64).Should().Be("it has an unpaired surrogate at position 2");
        ScheduleIds.Problem("a" + '\uDC00', 64).Should().Be("it has an unpaired surrogate at position 2");
    }

    [Fact]
    public void TheLength_IsCountedAgainstTheColumn()
    {
        ScheduleIds.Problem(new string('a', 64), ScheduleIds.MaxScheduleIdLength).Should().BeNull();
        ScheduleIds.Problem(new string('a', 5000), ScheduleIds.MaxScheduleIdLength).Should().Be("it is 5000 characters long; at most 64 are allowed");
        ScheduleIds.Problem(new string('a', 191), ScheduleIds.MaxVmContextIdLength).Should().BeNull();
        FluentActions.Invoking(() => ScheduleIds.CheckVmContext(new string('a', 192))).Should().Throw<InvalidIdException>()
            .Which.Message.Should().Be("The contextId is not a valid id: it is 192 characters long; at most 191 are allowed.");
    }

    [Theory]
    [InlineData("a/b", "'/' at position 2")]
    [InlineData("a%2Fb", "'%' at position 2")]
    [InlineData("100%", "'%' at position 4")]
    public void ScheduleAndGroupIds_WithASlashOrPercent_AreRefused_VmContextIdsKeepThem(string id, string why)
    {
        FluentActions.Invoking(() => ScheduleIds.CheckSchedule(id)).Should().Throw<InvalidIdException>().Which.Message.Should().Contain(why).And.Contain("URL path");
        FluentActions.Invoking(() => ScheduleIds.CheckGroup(id)).Should().Throw<InvalidIdException>().Which.ParameterName.Should().Be("groupId");
        FluentActions.Invoking(() => ScheduleIds.CheckVmContext(id)).Should().NotThrow("vCenter writes a '/' in a VM name as %2f, and the appliance names contexts after VMs");
    }
}
