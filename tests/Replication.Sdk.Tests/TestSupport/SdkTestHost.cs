using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>The SDK composed exactly as a host composes it, with MockHttp as the network and a fake clock.</summary>
internal sealed class SdkTestHost : IDisposable
{
    public const string Vma = "http://localhost:9081/api/v1";
    public const string Oma = "http://localhost:8082/api/v1";
    public const string VCenterPassword = "vc-pa55-SECRET-7f3a";
    public const string LoginToken = "login-token-SECRET-91bd";
    public const string BearerToken = "static-bearer-SECRET-c0de";

    public static readonly DateTimeOffset Start = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);

    private readonly ActivityListener _activities;

    private SdkTestHost(Action<IReplicationSdkBuilder>? configure, IDictionary<string, string?>? configuration)
    {
        var services = new ServiceCollection();
        var settings = new Dictionary<string, string?>
        {
            ["Replication:Vma:VCenters:0:Host"] = "vcenter.example.local",
            ["Replication:Vma:VCenters:0:Username"] = "svc-replication@vsphere.local",
            ["Replication:Vma:VCenters:0:Password"] = VCenterPassword,
            // Zero backoff keeps retry tests free of timers; backoff itself has its own tests.
            ["Replication:Vma:RetryBaseDelay"] = "00:00:00",
            ["Replication:Oma:RetryBaseDelay"] = "00:00:00",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "net-a",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        var builder = services.AddReplicationSdk()
            .ConfigureVmaHttpClient(c => c.ConfigurePrimaryHttpMessageHandler(() => VmaHttp))
            .ConfigureOmaHttpClient(c => c.ConfigurePrimaryHttpMessageHandler(() => OmaHttp));
        configure?.Invoke(builder);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Activities.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public MockHttpMessageHandler VmaHttp { get; } = new();

    public MockHttpMessageHandler OmaHttp { get; } = new();

    public WatchedTimeProvider Time { get; } = new(Start);

    public ServiceProvider Services { get; }

    /// <summary>Gets the activities seen while this host lived. The listener is process-wide, so tests running in parallel add theirs too: a concurrent queue, searched, never counted.</summary>
    public ConcurrentQueue<Activity> Activities { get; } = new();

    public IVmaClient VmaClient => Services.GetRequiredService<IVmaClient>();

    public IOmaClient OmaClient => Services.GetRequiredService<IOmaClient>();

    public Replication.Sdk.Jobs.IReplicationJobSubmitter Submitter => Services.GetRequiredService<Replication.Sdk.Jobs.IReplicationJobSubmitter>();

    public Replication.Sdk.Jobs.IReplicationJobBuilder Builder => Services.GetRequiredService<Replication.Sdk.Jobs.IReplicationJobBuilder>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static SdkTestHost Create(Action<IReplicationSdkBuilder>? configure = null, IDictionary<string, string?>? configuration = null) =>
        new(configure, configuration);

    public static SdkTestHost WithLogin() => Create(configuration: new Dictionary<string, string?>
    {
        ["Replication:Oma:Authentication:Mode"] = "Login",
        ["Replication:Oma:Authentication:ApplianceId"] = "oma-appliance-1",
        ["Replication:Oma:Authentication:LoginToken"] = LoginToken,
    });

    /// <summary>Everything the SDK wrote to logs, traces and metrics-free diagnostics, as one text to search for secrets.</summary>
    public string AllDiagnosticsText()
    {
        var logs = Logs.GetSnapshot().Select(r => $"{r.Category} {r.Level} {r.Message} {r.Exception} {string.Join(";", r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])}");
        var traces = Activities.Select(a => $"{a.DisplayName} {string.Join(";", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {a.StatusDescription}");
        return string.Join('\n', logs.Concat(traces));
    }

    public void Dispose()
    {
        _activities.Dispose();
        Services.Dispose();
        VmaHttp.Dispose();
        OmaHttp.Dispose();
    }
}
