using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Testing;

/// <summary>One simulated appliance: a Kestrel server on 127.0.0.1 with an OS-assigned port, every request journaled and run through the fault plan.</summary>
internal sealed class SimulatedAppliance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _name;
    private readonly FaultPlan _faults;
    private readonly RequestJournal _journal;
    private readonly TimeProvider _time;
    private readonly OmaState _oma;

    private SimulatedAppliance(WebApplication app, string name, FaultPlan faults, RequestJournal journal, TimeProvider time, OmaState oma)
    {
        _app = app;
        _name = name;
        _faults = faults;
        _journal = journal;
        _time = time;
        _oma = oma;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<SimulatedAppliance> StartAsync(string name, FaultPlan faults, RequestJournal journal, TimeProvider time, OmaState oma, Action<SimulatedAppliance, WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var appliance = new SimulatedAppliance(app, name, faults, journal, time, oma);
        map(appliance, app);
        app.MapFallback(async context =>
        {
            await appliance.JournalAsync(context, await ReadBodyAsync(context).ConfigureAwait(false), 404).ConfigureAwait(false);
            await SimResponse.Text(404, "404 page not found").WriteAsync(context).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        appliance.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return appliance;
    }

    /// <summary>Maps a route whose handler runs inside the journal and the fault plan.</summary>
    public void Map(WebApplication app, string method, string template, Func<HttpContext, string, string?> vmName, Func<HttpContext, string, Task<SimResponse>> handler)
    {
        var endpoint = $"{method} {template}";
        app.MapMethods(template, [method], async context =>
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var faults = _faults.Take(_name, endpoint, vmName(context, body));
            if (faults.Any(f => f.Kind == FaultKind.Down))
            {
                await JournalAsync(context, body, 0).ConfigureAwait(false);
                context.Abort();
                return;
            }

            foreach (var latency in faults.Where(f => f.Kind == FaultKind.Latency))
            {
                await Task.Delay(latency.Latency + _faults.Jitter(latency.LatencyJitter), context.RequestAborted).ConfigureAwait(false);
            }

            if (faults.Any(f => f.Kind == FaultKind.ExpireSessions))
            {
                _oma.ForgetSessions();
            }

            if (faults.Any(f => f.Kind == FaultKind.ResetBeforeEffect))
            {
                await JournalAsync(context, body, 0).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (faults.FirstOrDefault(f => f.Kind == FaultKind.Error) is { } error)
            {
                var injected = error.Body is not null ? new SimResponse(error.Status, _name == "VMA" ? "text/plain; charset=utf-8" : "application/json", error.Body) : InjectedError(error.Status);
                await JournalAsync(context, body, injected.Status).ConfigureAwait(false);
                await injected.WriteAsync(context).ConfigureAwait(false);
                return;
            }

            var response = await handler(context, body).ConfigureAwait(false);
            if (faults.Any(f => f.Kind == FaultKind.ResetAfterEffect))
            {
                // The work is done (a job may exist) but the answer never arrives.
                await JournalAsync(context, body, 0).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (faults.Any(f => f.Kind == FaultKind.MalformedJson))
            {
                response = response with { Status = 200, ContentType = "application/json", Body = "{\"vms\": [ {\"id\": \"x\",, }" };
            }
            else if (faults.Any(f => f.Kind == FaultKind.TruncatedJson))
            {
                response = response with { Body = response.Body[..(response.Body.Length / 2)] };
            }

            await JournalAsync(context, body, response.Status).ConfigureAwait(false);
            await response.WriteAsync(context).ConfigureAwait(false);
        });
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private SimResponse InjectedError(int status) => _name == "VMA"
        ? SimResponse.Text(status, status == 500
            ? "Discovery failed: failed to discover VMs from vCenter: failed to connect to vCenter: dial tcp: i/o timeout (injected)"
            : "service unavailable (injected)")
        : SimResponse.OmaError(status, status >= 500 ? "Simulated failure" : "Invalid request payload", "injected by the simulator's fault plan", _time.GetUtcNow());

    private Task JournalAsync(HttpContext context, string body, int status)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _journal.Add(new JournalEntry(_name, context.Request.Method, context.Request.Path.Value ?? "", status, headers, body, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
