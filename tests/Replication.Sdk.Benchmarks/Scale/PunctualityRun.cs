using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Benchmarks.Scale;

/// <summary>
/// Issue 19 item 2, on the real clock, each half side by side in the same process with Quartz.NET's in-memory scheduler
/// firing the same cron on as many no-op jobs. Start lag = start − scheduled-for. <c>--punctuality</c> (60 s per half;
/// <c>--scale-duration=SECONDS</c> to change it).
/// <list type="number">
/// <item>1,000 schedules over empty groups due every second, so the scheduler's own work is measured: plan, claim, record.</item>
/// <item>100 schedules over one simulated VM each, due every 10 s: the execution's start, and the VM's submission start
/// (after its fresh discovery), against the occurrence.</item>
/// </list>
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

        await using var quartz = await QuartzAsync(Schedules, "* * * * * ?");
        var engine = sdk.GetRequiredService<ReplicationScheduler>();
        await engine.StartAsync(CancellationToken.None);
        await quartz.StartAsync();
        var from = DateTimeOffset.UtcNow.AddSeconds(3);
        Console.WriteLine($"punctuality: {Schedules} schedules every second, SDK and Quartz.NET side by side, {duration.TotalSeconds:F0} s from {from:HH:mm:ss}; load average {ScaleRun.LoadAverage()}");
        await Task.Delay(duration + TimeSpan.FromSeconds(3));
        var until = DateTimeOffset.UtcNow.AddSeconds(-1);
        await quartz.StopAsync();
        await engine.StopAsync(CancellationToken.None);

        var executions = sdk.GetRequiredService<IExecutionStore>();
        var sdkLags = new List<double>();
        for (var i = 0; i < Schedules; i++)
        {
            sdkLags.AddRange((await executions.ListAsync($"p{i}", 100_000))
                .Where(e => e.TriggerKind == TriggerKind.Scheduled && e.ScheduledFor >= from && e.ScheduledFor < until)
                .Select(e => (e.StartedAt - e.ScheduledFor).TotalMilliseconds));
        }

        var quartzLags = quartz.LagsBetween(from, until);
        var expected = Schedules * Occurrences(from, until, 1);
        Print("SDK", sdkLags, expected);
        Print("Quartz.NET 4.7.3 (RAM store, default pool)", quartzLags, expected);
        Console.WriteLine($"punctuality: load average at the end {ScaleRun.LoadAverage()}");
    }

    /// <summary>The second half: 100 schedules, one simulated VM each, every 10 s; the jobs finish well within the period.</summary>
    public static async Task RunVmsAsync(TimeSpan duration)
    {
        const int Vms = 100;
        await using var sim = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = Vms, JobDuration = TimeSpan.FromMilliseconds(500), FallbackNetworkRate = 0 });
        await using var sdk = ScaleRun.Services(null, "punctual-vms",
            ("Replication:Vma:BaseAddress", sim.VmaBaseAddress.ToString()),
            ("Replication:Oma:BaseAddress", sim.OmaBaseAddress.ToString()),
            ("Replication:Scheduler:JobPollInterval", "00:00:00.250"),
            ("Replication:Scheduler:JobPollMaxInterval", "00:00:01"));
        var store = sdk.GetRequiredService<InMemoryScheduleStore>();
        var i = 0;
        foreach (var vm in sim.Inventory.All.Take(Vms))
        {
            var id = $"v{i++}";
            store.Upsert(new ReplicationSchedule { Id = id, Name = id, CronExpression = "*/10 * * * * *", MaxConcurrentJobs = 1 });
            store.Upsert(new MachineGroup { Id = id, Name = id, ScheduleId = id, MaxConcurrentVms = 1 });
            store.Upsert(new ScheduledVm { ContextId = vm.Name, VmName = vm.Name, VmwareVmId = vm.Id, VCenterHost = vm.VCenter, Datacenter = vm.Datacenter });
            store.Upsert(new GroupMembership { GroupId = id, VmContextId = vm.Name });
        }

        await using var quartz = await QuartzAsync(Vms, "0/10 * * * * ?");
        var engine = sdk.GetRequiredService<ReplicationScheduler>();
        await engine.StartAsync(CancellationToken.None);
        await quartz.StartAsync();
        var from = DateTimeOffset.UtcNow.AddSeconds(3);
        Console.WriteLine($"punctuality: {Vms} schedules of one simulated VM each every 10 s, SDK and Quartz.NET side by side, {duration.TotalSeconds:F0} s from {from:HH:mm:ss}; load average {ScaleRun.LoadAverage()}");
        await Task.Delay(duration + TimeSpan.FromSeconds(3));
        var until = DateTimeOffset.UtcNow.AddSeconds(-1);
        await quartz.StopAsync();

        // Let the last occurrences' jobs finish, so their outcomes are final.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await engine.StopAsync(CancellationToken.None);

        var executions = sdk.GetRequiredService<IExecutionStore>();
        var starts = new List<double>();
        var submissions = new List<double>();
        var completed = 0;
        for (var n = 0; n < Vms; n++)
        {
            foreach (var e in (await executions.ListAsync($"v{n}", 100_000)).Where(e => e.TriggerKind == TriggerKind.Scheduled && e.ScheduledFor >= from && e.ScheduledFor < until))
            {
                starts.Add((e.StartedAt - e.ScheduledFor).TotalMilliseconds);
                submissions.AddRange(e.VmOutcomes.Where(o => o.StartedAt is not null).Select(o => (o.StartedAt!.Value - e.ScheduledFor).TotalMilliseconds));
                completed += e.VmOutcomes.Count(o => o.Kind == VmOutcomeKind.JobCompleted);
            }
        }

        var occurrences = Vms * Occurrences(from, until, 10);
        Print("SDK, execution start", starts, occurrences);
        Print("SDK, VM submission start (after its discovery)", submissions, occurrences);
        Console.WriteLine($"punctuality: SDK jobs completed {completed:N0}; discovery calls {sim.Journal.For("POST", "/api/v1/discover").Count:N0}");
        Print("Quartz.NET 4.7.3 (RAM store, default pool)", quartz.LagsBetween(from, until), occurrences);
        Console.WriteLine($"punctuality: load average at the end {ScaleRun.LoadAverage()}");
    }

    /// <summary>How many multiples of <paramref name="periodSeconds"/> (since the epoch, as the cron fires) lie in [from, until).</summary>
    private static long Occurrences(DateTimeOffset from, DateTimeOffset until, int periodSeconds)
    {
        static long FirstAtOrAfter(DateTimeOffset at, int period) => (long)Math.Ceiling(at.ToUnixTimeMilliseconds() / (period * 1000.0));
        return FirstAtOrAfter(until, periodSeconds) - FirstAtOrAfter(from, periodSeconds);
    }

    private static async Task<QuartzSide> QuartzAsync(int jobs, string cron)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(_ => { });
        var provider = services.BuildServiceProvider();
        var quartz = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var i = 0; i < jobs; i++)
        {
            var job = JobBuilder.Create<NoOpJob>().WithIdentity($"q{i}").Build();
            var trigger = TriggerBuilder.Create().WithIdentity($"q{i}").WithSchedule(CronScheduleBuilder.Create(cron)).StartNow().Build();
            await quartz.ScheduleJob(job, trigger);
        }

        NoOpJob.Lags.Clear();
        return new QuartzSide(provider, quartz);
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

    /// <summary>Quartz.NET's scheduler and its container, disposed together.</summary>
    private sealed class QuartzSide(ServiceProvider provider, IScheduler scheduler) : IAsyncDisposable
    {
        private bool _stopped;

        public ValueTask StartAsync() => scheduler.Start();

        public async ValueTask StopAsync()
        {
            _stopped = true;
            await scheduler.Shutdown(false);
        }

        public List<double> LagsBetween(DateTimeOffset from, DateTimeOffset until) =>
            [.. NoOpJob.Lags.Where(l => l.ScheduledFor >= from && l.ScheduledFor < until).Select(l => l.LagMs)];

        public async ValueTask DisposeAsync()
        {
            if (!_stopped)
            {
                await scheduler.Shutdown(false);
            }

            await provider.DisposeAsync();
        }
    }
}
