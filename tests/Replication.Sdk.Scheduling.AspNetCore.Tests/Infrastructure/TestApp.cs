using System.Net.Http.Headers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// A host as an operator's would be: the scheduler on the appliance simulator, the test authentication handler, a policy
/// that needs the <c>operator</c> role, the API at <c>/api/replication</c> and the dashboard at <c>/replication</c>.
/// On the ASP.NET test server by default; on Kestrel at 127.0.0.1 and a free port for the browser.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string Policy = "ReplicationOperator";
    public const string OperatorRole = "operator";
    public const string XssVmName = "<script>alert('xss')</script>";

    private TestApp(WebApplication app, ApplianceSimulator simulator, Uri? address)
    {
        App = app;
        Simulator = simulator;
        Address = address;
    }

    public WebApplication App { get; }

    public ApplianceSimulator Simulator { get; }

    /// <summary>Gets Kestrel's address, or <see langword="null"/> on the test server.</summary>
    public Uri? Address { get; }

    public InMemoryAuditSink Audit => App.Services.GetRequiredService<InMemoryAuditSink>();

    public InMemoryScheduleStore Store => App.Services.GetRequiredService<InMemoryScheduleStore>();

    public InMemoryExecutionStore Executions => App.Services.GetRequiredService<InMemoryExecutionStore>();

    public IReplicationScheduler Scheduler => App.Services.GetRequiredService<IReplicationScheduler>();

    public static async Task<TestApp> StartAsync(Action<ReplicationSchedulingApiOptions>? configure = null, TimeProvider? time = null, bool kestrel = false, TimeSpan? jobDuration = null, Action<IServiceCollection>? services = null)
    {
        var simulator = await ApplianceSimulator.StartAsync(new SimulatorOptions { VmCount = 4, JobDuration = jobDuration ?? TimeSpan.FromMilliseconds(300) });
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Vma:BaseAddress"] = simulator.VmaBaseAddress.ToString(),
            ["Replication:Oma:BaseAddress"] = simulator.OmaBaseAddress.ToString(),
            ["Replication:Vma:VCenters:0:Host"] = "*",
            ["Replication:Vma:VCenters:0:Username"] = "test",
            ["Replication:Vma:VCenters:0:Password"] = "test-password",
            ["Replication:Jobs:OsseaConfigId"] = "7",
            ["Replication:Jobs:TargetNetwork"] = "test-net",
            ["Replication:Scheduler:InstanceId"] = "aspnetcore-tests",
            ["Replication:Scheduler:JobPollInterval"] = "00:00:00.100",
            ["Replication:Scheduler:JobPollMaxInterval"] = "00:00:00.200",
        });
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        services?.Invoke(builder.Services);
        builder.Services.AddReplicationScheduling();
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireRole(OperatorRole)));
        builder.Services.AddReplicationSchedulingApi(o =>
        {
            o.AuthorizationPolicy = Policy;
            configure?.Invoke(o);
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        // The browser's sign-in: sets the cookie the test handler reads (a stand-in for a real login page).
        app.MapGet("/test/sign-in", (string user, string? roles, HttpContext http) =>
        {
            http.Response.Cookies.Append(TestAuthHandler.Cookie, $"{user}|{roles}", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict });
            return Results.Redirect("/replication/");
        });
        // A token for a form the read-only dashboard does not render (to prove its POST is refused anyway).
        app.MapGet("/test/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
            Results.Content($"<input name=\"__RequestVerificationToken\" value=\"{antiforgery.GetAndStoreTokens(http).RequestToken}\">", "text/html"));
        app.MapReplicationSchedulingApi();
        app.MapReplicationDashboard();

        Seed(app.Services.GetRequiredService<InMemoryScheduleStore>());
        await app.StartAsync();
        Uri? address = null;
        if (kestrel)
        {
            address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        return new TestApp(app, simulator, address);
    }

    /// <summary>A client signed in as <paramref name="user"/> with <paramref name="roles"/>, or anonymous when <paramref name="user"/> is null.</summary>
    public HttpClient CreateClient(string? user = "alice", string roles = OperatorRole)
    {
        var client = Address is null ? App.GetTestClient() : new HttpClient { BaseAddress = Address };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.UserHeader, user);
            client.DefaultRequestHeaders.Add(TestAuthHandler.RolesHeader, roles);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(bound.Token);
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    private static void Seed(InMemoryScheduleStore store)
    {
        var added = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        store.Upsert(new ReplicationSchedule
        {
            Id = "nightly", Name = "Nightly production", CronExpression = "0 0 3 * * *", TimeZone = "Europe/London",
            MaxConcurrentJobs = 2, RetryAttempts = 0, RpoTarget = TimeSpan.FromHours(26),
        });
        store.Upsert(new MachineGroup { Id = "web", Name = "Web servers", ScheduleId = "nightly", MaxConcurrentVms = 2 });
        foreach (var (name, i) in new[] { "vm001", "vm002" }.Select((n, i) => (n, i)))
        {
            store.Upsert(new ScheduledVm { ContextId = $"ctx-{name}", VmName = name, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
            store.Upsert(new GroupMembership { GroupId = "web", VmContextId = $"ctx-{name}", Priority = i, AddedAt = added });
        }

        // A disabled schedule (it never fires, so tests own its history) with a VM whose name is markup.
        store.Upsert(new ReplicationSchedule { Id = "archive", Name = "Archive <b>old</b>", CronExpression = "0 0 4 * * *", TimeZone = "UTC", Enabled = false });
        store.Upsert(new MachineGroup { Id = "legacy", Name = "Legacy", ScheduleId = "archive" });
        store.Upsert(new ScheduledVm { ContextId = "ctx-xss", VmName = XssVmName, VCenterHost = "vcenter.example.local", Datacenter = "DC1" });
        store.Upsert(new GroupMembership { GroupId = "legacy", VmContextId = "ctx-xss", AddedAt = added });
    }
}
