using Replication.Sdk.Samples.Console;

namespace Replication.Sdk.IntegrationTests;

public sealed class SampleTests
{
    [Fact]
    public async Task Sample_RunsTheMainJobAgainstTheSimulatorAndExitsZero()
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync([], output);

        exitCode.Should().Be(0, output.ToString());
        var text = output.ToString();
        text.Should().Contain("Appliance simulator: VMA http://127.0.0.1:");
        text.Should().Contain("Summary");
        text.Should().Contain("schedule 'nightly-prod'").And.Contain("schedule 'hourly-test'");
        text.Should().Contain("drift: DiskResized").And.Contain("drift: NetworkAdded");
        text.Should().Contain("VM 'vm099' was not found");
    }
}
