using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>
/// Issue 19 item 2, first half: 1,000 schedules over empty groups due every second on the real clock (so the scheduler's
/// own work is measured: plan, claim, record), side by side in the same process with Quartz.NET's in-memory scheduler
/// firing the same cron on 1,000 no-op jobs. Start lag = start − scheduled-for. <c>--punctuality</c> (60 s;
/// <c>--scale-duration=SECONDS</c> to change it).
/// </summary>
internal static class PunctualityRun
{
    private const int Schedules = 1_000;

    public static async Task RunAsync(TimeSpan duration)
    {
        await using var sdk = ScaleRun.Services(null, "punctual", ("Replication:Scheduler:InMemoryHistoryLimit", "1000000"));
        var store = sdk.GetRequiredService<InMemoryScheduleStore>();
        for (var i = 0; i < Schedules; i++)
        {
            store.Upsert(new ReplicationSchedule { Id = $"p{i}", Name = $"p{i}", CronExpression = "* * * * * *", MaxConcurrentJobs = 5 });
        }

        var quartzServices = new ServiceCollection();
        quartzServices.AddLogging();
        quartzServices.AddQuartz(_ => { });
        await using var quartzProvider = quartzServices.BuildServiceProvider();
        var quartz = await quartzProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var i = 0; i < Schedules; i++)
        {
            var job = JobBuilder.Create<NoOpJob>().WithIdentity($"q{i}").Build();
            var trigger = TriggerBuilder.Create().WithIdentity($"q{i}").WithSchedule(CronScheduleBuilder.Create("* * * * * ?")).StartNow().Build();
            await quartz.ScheduleJob(job, trigger);
        }

        NoOpJob.Lags.Clear();
        var engine = sdk.GetRequiredService<ReplicationScheduler>();
        await engine.StartAsync(CancellationToken.None);
        await quartz.Start();
        var from = DateTimeOffset.UtcNow.AddSeconds(3);
        Console.WriteLine($"punctuality: {Schedules} schedules every second, SDK and Quartz.NET side by side, {duration.TotalSeconds:F0} s from {from:HH:mm:ss}; load average {ScaleRun.LoadAverage()}");
        await Task.Delay(duration + TimeSpan.FromSeconds(3));
        var until = DateTimeOffset.UtcNow.AddSeconds(-1);
        await quartz.Shutdown(false);
        await engine.StopAsync(CancellationToken.None);

        var executions = sdk.GetRequiredService<IExecutionStore>();
        var sdkLags = new List<double>();
        for (var i = 0; i < Schedules; i++)
        {
            sdkLags.AddRange((await executions.ListAsync($"p{i}", 100_000))
                .Where(e => e.TriggerKind == TriggerKind.Scheduled && e.ScheduledFor >= from && e.ScheduledFor < until)
                .Select(e => (e.StartedAt - e.ScheduledFor).TotalMilliseconds));
        }

        var quartzLags = NoOpJob.Lags.Where(l => l.ScheduledFor >= from && l.ScheduledFor < until).Select(l => l.LagMs).ToList();
        var expected = Schedules * (long)Math.Floor((until - from).TotalSeconds);
        Print("SDK", sdkLags, expected);
        Print("Quartz.NET 4.7.3 (RAM store, default pool)", quartzLags, expected);
        Console.WriteLine($"punctuality: load average at the end {ScaleRun.LoadAverage()}");
    }

    private static void Print(string name, List<double> lags, long expected)
    {
        lags.Sort();
        Console.WriteLine($"punctuality: {name}: {lags.Count:N0} of {expected:N0} occurrences started; start lag p50 {ScaleRun.Percentile(lags, 0.5):F1} ms, "
            + $"p99 {ScaleRun.Percentile(lags, 0.99):F1} ms, max {lags.LastOrDefault():F1} ms (target p99 <= Quartz's and <= 50 ms)");
    }

    /// <summary>Records how late each firing started against its scheduled time, and does nothing else.</summary>
    private sealed class NoOpJob : IJob
    {
        public static ConcurrentBag<(DateTimeOffset ScheduledFor, double LagMs)> Lags { get; } = [];

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
            Lags.Add((scheduled, (DateTimeOffset.UtcNow - scheduled).TotalMilliseconds));
            return ValueTask.CompletedTask;
        }
    }
}
