using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql.Tests.Infrastructure;
using Replication.Sdk.Scheduling.Tests.Engine;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>One scheduler instance of the soak, composed through the public DI extensions, freezable as a whole.</summary>
internal sealed class ChaosInstance : IAsyncDisposable
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    private readonly ServiceProvider _services;
    private readonly ReplicationScheduler _engine;
    private int _inFlight;

    private ChaosInstance(int index, ApplianceSimulator sim, TestClock clock, IChaosStore store, ChaosDice dice)
    {
        Id = $"chaos-{index}";
        var values = new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = sim.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = sim.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "chaos",
            ["Replication:Vma:VCenters:0:Password"] = "chaos-password",
            ["Replication:Oma:Authentication:Mode"] = "Login",
            ["Replication:Oma:Authentication:ApplianceId"] = sim.Options.ApplianceId,
            ["Replication:Oma:Authentication:LoginToken"] = sim.Options.LoginToken,
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "chaos-net",
            ["Replication:Jobs:StaleJobThreshold"] = "01:00:00",
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FreezableTimeProvider(clock, Freezer));
        var scheduling = services.AddReplicationScheduling().ConfigureScheduler(o =>
        {
            o.InstanceId = Id;
            o.JobPollInterval = TimeSpan.FromSeconds(15);
            o.JobPollMaxInterval = TimeSpan.FromMinutes(1);
            o.LeaseDuration = LeaseDuration;
            o.LeaseRenewInterval = TimeSpan.FromSeconds(20);
        });
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new FreezeHandler(Freezer, this)));
        store.Compose(scheduling, Flight);
        services.Decorate<IExecutionStore>((_, inner) => new ChaosExecutionStore(inner, Freezer, dice));
        _services = services.BuildServiceProvider();
        _engine = _services.GetRequiredService<ReplicationScheduler>();

        // The clock waits for this instance's loop and its requests on the wire, unless it is frozen (a paused process holds nothing up).
        clock.Loops.Add(() => !Freezer.IsFrozen && (_engine.IsLoopBusy || _engine.IsExecutionWorking || Volatile.Read(ref _inFlight) > 0));
    }

    public string Id { get; }

    public Freezer Freezer { get; } = new();

    /// <summary>Gets this instance's database calls on the wire (none on the in-memory store); the clock never jumps over one.</summary>
    public InFlight Flight { get; } = new();

    public bool Killed { get; private set; }

    /// <summary>Gets the instance's scheduler, as a host drives it (manual triggers).</summary>
    public IReplicationScheduler Scheduler => _engine;

    /// <summary>Gets how many times this instance lost its lease (a freeze past it does that).</summary>
    public int LeaseLosses => _services.GetRequiredService<LeaseFence>().Losses;

    public static ChaosInstance Create(int index, ApplianceSimulator sim, TestClock clock, IChaosStore store, ChaosDice dice) =>
        new(index, sim, clock, store, dice);

    public Task StartAsync() => _engine.StartAsync(CancellationToken.None);

    public Task StopAsync() => _engine.StopAsync(CancellationToken.None);

    /// <summary>A kill: frozen for good. Its lease lapses and a survivor takes over.</summary>
    public void Kill()
    {
        Killed = true;
        Freezer.Freeze();
    }

    internal void RequestStarted() => Interlocked.Increment(ref _inFlight);

    internal void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public async ValueTask DisposeAsync()
    {
        if (Killed)
        {
            // A killed process ends without cleaning up; its tasks are abandoned where they stand.
            return;
        }

        await _services.DisposeAsync();
    }
}
