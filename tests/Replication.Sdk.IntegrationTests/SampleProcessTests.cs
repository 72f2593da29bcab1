using System.Diagnostics;

namespace Replication.Sdk.IntegrationTests;

/// <summary>The sample as a real process on the real clock: Ctrl+C ends the wait at once, with a summary and exit 1.</summary>
public sealed class SampleProcessTests
{
    [Fact]
    public async Task CtrlC_DuringTheRun_StopsPromptly_PrintsTheSummary_AndExitsOne()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // SIGINT is a POSIX signal; the in-process sample tests cover the rest everywhere.
        }

        var sample = Path.Combine(AppContext.BaseDirectory, "Replication.Sdk.Samples.Console.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { sample, "--Sample:Schedules:2:CronExpression=0 0 3 * * *", "--Sample:Simulator:JobDuration=00:05:00" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        })!;
        var output = new System.Text.StringBuilder();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Waiting for", StringComparison.Ordinal) == true)
            {
                waiting.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: a loaded CI machine may take long to start the process; the promptness asserted is measured below.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(180));

        if (await Task.WhenAny(waiting.Task, Task.Delay(TimeSpan.FromSeconds(150))) != waiting.Task)
        {
            process.Kill(entireProcessTree: true);
            lock (output)
            {
                throw new TimeoutException($"The sample never printed 'Waiting for'; its output so far:\n{output}");
            }
        }

        var interrupted = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(bound.Token);
        }

        await process.WaitForExitAsync(bound.Token);
        interrupted.Stop();

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        process.ExitCode.Should().Be(1, text);
        interrupted.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "Ctrl+C is not held for the 2-minute run timeout");
        text.Should().Contain("The run was interrupted (Ctrl+C).").And.Contain("Summary");
    }

    [Fact]
    public async Task AFullRun_PrintsEachEventOnce_NotAnSdkLogLineAndAProgressLineForIt()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "Replication.Sdk.Samples.Console.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { sample, "--Sample:Simulator:JobDuration=00:00:00.300", "--Replication:Scheduler:JobPollInterval=00:00:00.100", "--Replication:Scheduler:JobPollMaxInterval=00:00:00.200" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(bound.Token);
        var text = await stdout + await stderr;

        process.ExitCode.Should().Be(0, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.Should().NotContain(l => l.Contains("info: Replication.Sdk", StringComparison.Ordinal), "the progress lines already say what the scheduler's information events say");
        var finished = lines.Where(l => l.StartsWith("execution ", StringComparison.Ordinal) && l.Contains(" finished ", StringComparison.Ordinal)).ToList();
        finished.Should().NotBeEmpty(text);
        finished.Should().OnlyHaveUniqueItems("each execution's end is printed once");
        text.Should().NotContain("(null)");
    }
}
