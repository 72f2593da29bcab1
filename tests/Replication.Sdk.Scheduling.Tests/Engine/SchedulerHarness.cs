using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary>The scheduler composed through its DI extension, with the OMA and submitter faked at their seams and a test clock.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private SchedulerHarness(DateTimeOffset start, string instanceId, InMemoryExecutionStore? executions, FakeOma? oma, TestClock? clock, InMemoryScheduleStore? store,
        Action<IReplicationSchedulingBuilder>? configure, Action<SchedulerOptions>? options, TimeSpan? staleJobThreshold)
    {
        Clock = clock ?? new TestClock(start);
        Oma = oma ?? new FakeOma(Clock);
        Vma = new FakeVma(Clock);
        Executions = executions ?? new InMemoryExecutionStore();
        Store = store ?? new InMemoryScheduleStore();
        Submitter = new FakeSubmitter(Oma, Clock) { ScheduleOfExecution = id => Executions.All.FirstOrDefault(e => e.Id == id)?.ScheduleId };

        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (Environment.GetEnvironmentVariable("SCHEDULER_TEST_LOG") == "1")
            {
                b.AddSimpleConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug);
            }
        });
        services.AddSingleton<TimeProvider>(Clock);
        var builder = services.AddReplicationScheduling()
            .AddExecutionObserver<RecordingObserver>()
            .ConfigureScheduler(o =>
            {
                o.InstanceId = instanceId;
                o.JobPollInterval = TimeSpan.FromSeconds(10);
                o.JobPollMaxInterval = TimeSpan.FromSeconds(10);

                // Every armed timer is a stop for the test clock: lease renewals stay rare unless a test is about leases.
                o.LeaseDuration = TimeSpan.FromDays(1);
                o.LeaseRenewInterval = TimeSpan.FromHours(6);
                options?.Invoke(o);
            });
        services.Configure<ReplicationJobOptions>(o => o.StaleJobThreshold = staleJobThreshold ?? TimeSpan.FromHours(1));
        configure?.Invoke(builder);
        services.Replace(ServiceDescriptor.Singleton(Store));
        services.Replace(ServiceDescriptor.Singleton(Executions));
        services.Replace(ServiceDescriptor.Singleton<IOmaClient>(Oma));
        services.Replace(ServiceDescriptor.Singleton<IVmaClient>(Vma));
        services.Replace(ServiceDescriptor.Singleton<IReplicationJobSubmitter>(Submitter));
        services.Replace(ServiceDescriptor.Singleton<IDiscoveryScopeFactory>(Scopes));
        Services = services.BuildServiceProvider();
        Observer = (RecordingObserver)Services.GetServices<IExecutionObserver>().Single(o => o is RecordingObserver);

        // The loop's and the executions' own hand-offs: the clock never jumps while the loop or an execution has not parked
        // on its next timer.
        var engine = Engine;
        Clock.Loops.Add(() => engine.IsLoopBusy || engine.IsExecutionWorking);
    }

    public TestClock Clock { get; }

    public FakeOma Oma { get; }

    public FakeVma Vma { get; }

    public FakeSubmitter Submitter { get; }

    public FakeScopeFactory Scopes { get; } = new();

    public InMemoryScheduleStore Store { get; }

    public InMemoryExecutionStore Executions { get; }

    public ServiceProvider Services { get; }

    public RecordingObserver Observer { get; }

    public IReplicationScheduler Scheduler => Services.GetRequiredService<IReplicationScheduler>();

    internal ReplicationScheduler Engine => Services.GetRequiredService<ReplicationScheduler>();

    public static SchedulerHarness Create(
        DateTimeOffset start,
        string instanceId = "engine-a",
        InMemoryExecutionStore? executions = null,
        FakeOma? oma = null,
        TestClock? clock = null,
        InMemoryScheduleStore? store = null,
        Action<IReplicationSchedulingBuilder>? configure = null,
        Action<SchedulerOptions>? options = null,
        TimeSpan? staleJobThreshold = null) =>
        new(start, instanceId, executions, oma, clock, store, configure, options, staleJobThreshold);

    /// <summary>A harness whose execution store fails on demand (<paramref name="flaky"/>), over <paramref name="executions"/>.</summary>
    public static SchedulerHarness CreateFlaky(DateTimeOffset start, int storeRetryAttempts, out FlakyExecutionStore flaky, InMemoryExecutionStore? executions = null, InMemoryScheduleStore? store = null)
    {
        executions ??= new InMemoryExecutionStore();
        var failing = new FlakyExecutionStore(executions);
        flaky = failing;
        return new(start, "engine-a", executions, null, null, store,
            b => b.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(failing)),
            o => o.StoreRetryAttempts = storeRetryAttempts, null);
    }

    public Task StartAsync() => Engine.StartAsync(CancellationToken.None);

    public Task StopAsync() => Engine.StopAsync(CancellationToken.None);

    /// <summary>
    /// Runs until <paramref name="held"/> executions have finished with the clock held at or before <paramref name="horizon"/>
    /// (a loaded machine must not let it jump past an occurrence before the one before it dispatched), then until
    /// <paramref name="total"/> have, with the clock free; stops the scheduler and returns what finished.
    /// </summary>
    public async Task<IReadOnlyList<ScheduleExecution>> RunHeldThenStopAsync(DateTimeOffset horizon, int held, int total)
    {
        Clock.Horizon = horizon;
        await Clock.RunUntilAsync(Observer.WaitForAsync(held));
        Clock.Horizon = null;
        var runs = await Clock.RunUntilAsync(Observer.WaitForAsync(total));
        await StopAsync();
        return runs;
    }

    public ReplicationSchedule Schedule(string id = "s1", string cron = "0 2 * * *", string zone = "UTC", Func<ReplicationSchedule, ReplicationSchedule>? change = null)
    {
        var schedule = new ReplicationSchedule { Id = id, Name = id, CronExpression = cron, TimeZone = zone, MaxConcurrentJobs = 50, RetryDelay = TimeSpan.FromMinutes(5) };
        schedule = change?.Invoke(schedule) ?? schedule;
        Store.Upsert(schedule);
        return schedule;
    }

    public MachineGroup Group(string id, string scheduleId = "s1", int maxConcurrentVms = 5, int priority = 0, string? name = null)
    {
        var group = new MachineGroup { Id = id, Name = name ?? id, ScheduleId = scheduleId, MaxConcurrentVms = maxConcurrentVms, Priority = priority };
        Store.Upsert(group);
        return group;
    }

    public List<ScheduledVm> Vms(string groupId, int count, string? prefix = null, Func<int, ScheduledVm, ScheduledVm>? change = null)
    {
        var vms = new List<ScheduledVm>();
        for (var i = 0; i < count; i++)
        {
            var vm = new ScheduledVm { ContextId = $"ctx-{prefix ?? groupId}-{i:00}", VmName = $"{prefix ?? groupId}-vm{i:00}", VCenterHost = "vcenter.example.local", Datacenter = "DC1" };
            vm = change?.Invoke(i, vm) ?? vm;
            Store.Upsert(vm);
            Store.Upsert(new GroupMembership { GroupId = groupId, VmContextId = vm.ContextId, Priority = i, AddedAt = Clock.GetUtcNow() });
            vms.Add(vm);
        }

        return vms;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
    }
}
