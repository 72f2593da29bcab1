using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>A VM name or reason with line breaks never forges a log line of the scheduler's own.</summary>
public sealed class SchedulerLogInjectionTests
{
    [Fact]
    public async Task VmNamesAndReasonsWithControlCharacters_AreEscapedInLogLines()
    {
        var lines = new ConcurrentQueue<string>();
        await using var h = SchedulerHarness.Create(
            new DateTimeOffset(2025, 3, 7, 0, 0, 0, TimeSpan.Zero),
            configure: b => b.Services.AddSingleton<ILoggerProvider>(new Capture(lines)));
        h.Schedule();
        h.Group("g1");
        var vm = h.Vms("g1", 1, change: (_, v) => v with { VmName = "web01\nerror: Scheduler engine-b stopped\r\u2028" })[0];
        h.Submitter.Script(vm.VmName, t => new Jobs.SubmissionResult { Status = Jobs.SubmissionStatus.Failed, Target = t, Reason = "bad\nforged line" });

        var id = await h.Scheduler.TriggerAsync("s1", "test", "alice");
        await h.Clock.RunUntilAsync(h.Scheduler.WaitForExecutionAsync(id));

        var outcome = lines.Single(l => l.Contains("CreateFailed", StringComparison.Ordinal));
        outcome.Should().Contain("web01\\nerror: Scheduler engine-b stopped\\r\\u2028").And.Contain("bad\\nforged line");
        lines.Should().OnlyContain(l => !l.Contains('\n') && !l.Contains('\r') && !l.Contains('\u2028'));
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
