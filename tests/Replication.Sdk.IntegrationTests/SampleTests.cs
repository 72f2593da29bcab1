using Microsoft.Extensions.Configuration;
using Replication.Sdk.Samples.Console;

namespace Replication.Sdk.IntegrationTests;

/// <summary>The README's main command, run in-process on the real clock, and its documented exit codes.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task DefaultRun_ShowsManualAndScheduledExecutions_AndExitsZero()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync([], output);

        var text = output.ToString();
        exitCode.Should().Be(ExitCodes.Success, text);
        text.Should().Contain("Appliance simulator: VMA http://127.0.0.1:");
        text.Should().Contain("schedule 'nightly-prod' (Manual by").And.Contain("schedule 'hourly-test' (Manual by");
        text.Should().MatchRegex(@"schedule 'every-10-seconds' \(Scheduled for \d\d:\d\d:[0-5]0Z\): Completed", "the cron fired by itself on the real clock");
        text.Should().Contain("drift: DiskResized").And.Contain("drift: NetworkAdded");
    }

    [Fact]
    public async Task AFailingVm_ExitsOne_AndTheSummarySaysWhy()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync([], output, Settings(("Sample:Simulator:FailingVms:0", "vm007"), ("Sample:ScheduledRuns", "0")));

        var text = output.ToString();
        exitCode.Should().Be(ExitCodes.ExecutionsFailed, text);
        text.Should().Contain("schedule 'nightly-prod' (Manual by").And.Contain(": CompletedWithErrors");
        text.Should().MatchRegex(@"vm007 +JobFailed");
    }

    [Theory]
    [InlineData("Replication:Scheduler:CheckParallelism", "999", "Replication:Scheduler:CheckParallelism must be between 1 and 64")]
    [InlineData("Sample:Schedules:0:CronExpression", "not a cron", "Sample:Schedules:0 ('nightly-prod'): ")]
    [InlineData("Sample:Schedules:0:CronExpression", "H(30-10) 2 * * *", "Sample:Schedules:0 ('nightly-prod'): Invalid schedule 'H(30-10) 2 * * *': minute field")]
    [InlineData("Sample:Schedules:0:Spread", "2.00:00:00", "Sample:Schedules:0 ('nightly-prod'): Spread must be between 0 and 1 day")]
    [InlineData("Sample:Schedules:1:TimeZone", "Mars/Olympus_Mons", "Sample:Schedules:1 ('hourly-test'): ")]
    [InlineData("Sample:Timeout", "banana", "Sample:Timeout")]
    [InlineData("Replication:Jobs:OsseaConfigId", "-3", "Replication:Jobs:OsseaConfigId")]
    [InlineData("Sample:Timeout", "10675199.02:48:05.4775807", "Sample:Timeout must be more than 0 and at most 1 day")]
    [InlineData("Sample:Schedules:0:MaxConcurrentJobs", "0", "Sample:Schedules:0 ('nightly-prod'): MaxConcurrentJobs must be between 1 and 100000 (was 0)")]
    [InlineData("Sample:Schedules:0:RetryAttempts", "-1", "RetryAttempts must be between 0 and 100 (was -1)")]
    [InlineData("Sample:Schedules:0:ReplicationType", "99", "ReplicationType 99 is not a known value")]
    [InlineData("Sample:Groups:0:MaxConcurrentVms", "0", "group 'prod-web': MaxConcurrentVms must be between 1 and 100000 (was 0)")]
    [InlineData("Sample:Simulator:VmCount", "-1", "Sample:Simulator:VmCount must be between 1 and 10000")]
    [InlineData("Sample:Simulator:JobDuration", "-00:00:05", "Sample:Simulator:JobDuration must be between 0 and 1 day")]
    [InlineData("Sample:Groups:0:Id", "", "Sample:Groups:0:Id is required")]
    [InlineData("Sample:Groups:0:ScheduleId", "nope", "Sample:Groups:0:ScheduleId 'nope' names no schedule")]
    [InlineData("Sample:Groups:0:Vms:0", "", "Sample:Groups:0:Vms:0 is empty")]
    [InlineData("Replication:Scheduler:MaxConcurrentJobs", "-1", "Replication:Scheduler:MaxConcurrentJobs")]
    public async Task BadConfiguration_PrintsOneLineNamingTheKey_AndExitsTwo(string key, string value, string expected)
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync([], output, Settings((key, value)));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Simulated changes", StringComparison.Ordinal)).ToList();
        exitCode.Should().Be(ExitCodes.BadConfiguration, output.ToString());
        lines.Should().ContainSingle().Which.Should().StartWith("configuration error: ").And.Contain(expected).And.NotContain("Exception", "no stack trace, no exception type");
    }

    [Fact]
    public async Task UnreachableAppliances_ExitThree_NamingTheAppliance()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync([], output, Settings(
            ("Sample:UseSimulator", "false"), ("Sample:ScheduledRuns", "0"),
            ("Replication:Vma:BaseAddress", "http://127.0.0.1:9/"), ("Replication:Oma:BaseAddress", "http://127.0.0.1:9/"),
            ("Replication:Vma:VCenters:0:Host", "*"), ("Replication:Vma:VCenters:0:Username", "u"), ("Replication:Vma:VCenters:0:Password", "p"),
            ("Replication:Oma:MaxRetryAttempts", "0"), ("Replication:Vma:MaxRetryAttempts", "0")));

        var text = output.ToString();
        exitCode.Should().Be(ExitCodes.ApplianceUnreachable, text);
        text.Should().Contain(": Failed").And.Contain("error: the OMA could not be reached");
        text.Should().NotContain(": Completed");
    }

    [Fact]
    public async Task Preview_PrintsTheNextWeekOfEverySchedule_AndRunsNothing()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync(["--preview"], output);

        var text = output.ToString();
        exitCode.Should().Be(ExitCodes.Success, text);
        text.Should().Contain("Preview of the next 7 days (no appliance is called):");
        text.Should().Contain("schedule nightly-prod (").And.Contain("schedule every-10-seconds (");
        text.Should().MatchRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d  = \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", "each occurrence in local time and UTC");
        text.Should().Contain("more occurrence(s)", "a ten-second schedule has far more than five in a week");
        text.Should().MatchRegex(@"VM \S+ \(group \S+\): would run");
        text.Should().MatchRegex(@"would run, 00:00:0[0-3] into the spread", "nightly-prod spreads its VMs over 4 seconds");
        text.Should().NotContain("Manual by").And.NotContain(": Completed", "a preview starts no execution");
    }

    [Fact]
    public async Task Preview_AHashedSchedule_IsAcceptedAndFiresAtOneFixedMinute()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync(["--preview"], output, Settings(("Sample:Schedules:0:CronExpression", "0 H H(1-4) * * *")));

        var text = output.ToString();
        exitCode.Should().Be(ExitCodes.Success, text);
        var nightly = text[text.IndexOf("schedule nightly-prod", StringComparison.Ordinal)..];
        var minutes = System.Text.RegularExpressions.Regex.Matches(nightly, @"\d{4}-\d\d-\d\d 0([1-4]):(\d\d):00 ").Select(m => m.Groups[2].Value).Distinct().ToList();
        minutes.Should().ContainSingle("H fixes one minute for the schedule, the same every night");
    }

    [Fact]
    public async Task Help_PrintsUsage_AndExitsZero()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync(["--help"], output);

        exitCode.Should().Be(ExitCodes.Success);
        output.ToString().Should().Contain("Usage: dotnet run --project samples/Replication.Sdk.Samples.Console").And.Contain("Exit codes:");
    }

    private static Action<IConfigurationBuilder> Settings(params (string Key, string Value)[] values) =>
        b => b.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
}
