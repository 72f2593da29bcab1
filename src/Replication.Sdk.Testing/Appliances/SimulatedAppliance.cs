using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Testing;

/// <summary>
/// One simulated appliance: a Kestrel server on 127.0.0.1 with an OS-assigned port, every request journaled and run
/// through the fault plan. With a write timeout (the OMA's Go server has one of 15 s) a handler that ran longer has done
/// its work, but its answer is lost: the connection closes without a response.
/// </summary>
internal sealed partial class SimulatedAppliance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _name;
    private readonly FaultPlan _faults;
    private readonly RequestJournal _journal;
    private readonly TimeProvider _time;
    private readonly OmaSessions _sessions;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeSpan _localOffset;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(string Method, Regex Path)> _routes = [];

    private SimulatedAppliance(WebApplication app, string name, Services services, TimeSpan writeTimeout)
    {
        _app = app;
        _name = name;
        _faults = services.Faults;
        _journal = services.Journal;
        _time = services.Time;
        _sessions = services.Sessions;
        _writeTimeout = writeTimeout;
        _localOffset = services.LocalOffset;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts an appliance; <paramref name="writeTimeout"/> is <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public static async Task<SimulatedAppliance> StartAsync(string name, Services services, TimeSpan writeTimeout, Action<SimulatedAppliance, WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var appliance = new SimulatedAppliance(app, name, services, writeTimeout);
        app.Use(appliance.RouteAsGoDoes);
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
    /// <param name="app">The application.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="template">The route template.</param>
    /// <param name="vmName">Which VM a request concerns, for VM-scoped faults.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="spendsLatency">Whether the handler spends <see cref="SimRequest.Latency"/> inside its work; otherwise the answer is delayed after the work.</param>
    public void Map(WebApplication app, string method, string template, Func<HttpContext, string, string?> vmName, Func<SimRequest, Task<SimResponse>> handler, bool spendsLatency = false)
    {
        var endpoint = $"{method} {template}";
        _routes.Add((method, new Regex("^" + RouteParameter().Replace(template, "[^/]+") + "$", RegexOptions.CultureInvariant)));
        app.MapMethods(template, [method], async context =>
        {
            var arrived = _time.GetTimestamp();
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var faults = _faults.Take(_name, endpoint, vmName(context, body));
            if (faults.Any(f => f.Kind == FaultKind.Down))
            {
                await DropAsync(context, body).ConfigureAwait(false);
                return;
            }

            if (faults.Any(f => f.Kind == FaultKind.ExpireSessions))
            {
                _sessions.Forget();
            }

            var latency = faults.Where(f => f.Kind == FaultKind.Latency).Aggregate(TimeSpan.Zero, (sum, f) => sum + f.Latency + _faults.Jitter(f.LatencyJitter));
            try
            {
                var response = await RunAsync(context, body, faults, latency, handler, spendsLatency).ConfigureAwait(false);
                if (response is null || faults.Any(f => f.Kind == FaultKind.ResetAfterEffect)
                    || (_writeTimeout != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(arrived) >= _writeTimeout))
                {
                    // Reset before the effect, the dropped-response case, or Go's write deadline passed: the work is done
                    // (a job may exist) but the answer never arrives.
                    await DropAsync(context, body).ConfigureAwait(false);
                    return;
                }

                await JournalAsync(context, body, response.Status).ConfigureAwait(false);
                await response.WriteAsync(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                context.Abort();
            }
        });
    }

    /// <summary>
    /// Go's router, where ASP.NET Core's differs: a known path with another method is 405 with an empty body (before any
    /// auth), and a trailing slash is another path (404).
    /// </summary>
    private async Task RouteAsGoDoes(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.Length > 1 && path.EndsWith('/'))
        {
            await JournalAsync(context, await ReadBodyAsync(context).ConfigureAwait(false), 404).ConfigureAwait(false);
            await SimResponse.Text(404, "404 page not found").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (IsOtherMethodOnly(context.Request.Method, path))
        {
            await JournalAsync(context, await ReadBodyAsync(context).ConfigureAwait(false), 405).ConfigureAwait(false);
            await SimResponse.Empty(405).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Whether only routes of another method match the path: a route of this method decides without the rest.</summary>
    private bool IsOtherMethodOnly(string method, string path)
    {
        var other = false;
        foreach (var (routeMethod, pattern) in _routes)
        {
            if (routeMethod == method)
            {
                if (pattern.IsMatch(path))
                {
                    return false;
                }
            }
            else if (!other && pattern.IsMatch(path))
            {
                other = true;
            }
        }

        return other;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Runs the handler with the faults around it; <see langword="null"/> means the connection is dropped.</summary>
    private async Task<SimResponse?> RunAsync(HttpContext context, string body, List<FaultRule> faults, TimeSpan latency, Func<SimRequest, Task<SimResponse>> handler, bool spendsLatency)
    {
        if (faults.Any(f => f.Kind == FaultKind.ResetBeforeEffect))
        {
            await DelayAsync(latency).ConfigureAwait(false);
            return null;
        }

        if (faults.FirstOrDefault(f => f.Kind == FaultKind.Error) is { } error)
        {
            await DelayAsync(latency).ConfigureAwait(false);
            return error.Body is not null ? new SimResponse(error.Status, _name == "VMA" ? "text/plain; charset=utf-8" : "application/json", error.Body) : InjectedError(error.Status, context);
        }

        var response = await handler(new SimRequest(context, body, latency, faults, _stopping.Token)).ConfigureAwait(false);
        if (!spendsLatency)
        {
            await DelayAsync(latency).ConfigureAwait(false);
        }

        if (faults.Any(f => f.Kind == FaultKind.MalformedJson))
        {
            return response with { Status = 200, ContentType = "application/json", Body = "{\"vms\": [ {\"id\": \"x\",, }" };
        }

        return faults.Any(f => f.Kind == FaultKind.TruncatedJson) ? response with { Body = response.Body[..(response.Body.Length / 2)] } : response;
    }

    private Task DelayAsync(TimeSpan latency) => latency > TimeSpan.Zero ? Task.Delay(latency, _time, _stopping.Token) : Task.CompletedTask;

    private async Task DropAsync(HttpContext context, string body)
    {
        await JournalAsync(context, body, 0).ConfigureAwait(false);
        context.Abort();
    }

    private SimResponse InjectedError(int status, HttpContext context)
    {
        var local = _time.GetUtcNow().ToOffset(_localOffset);
        if (_name == "VMA")
        {
            return SimResponse.Text(status, status == 500
                ? "Discovery failed: failed to discover VMs from vCenter: failed to connect to vCenter: dial tcp: i/o timeout (injected)"
                : "service unavailable (injected)");
        }

        // A 404 on a job's route is the job handler's own answer, so a host cannot tell the injected one from a vanished job.
        return status == 404 && context.Request.RouteValues["id"] is string id
            ? SimResponse.OmaError(404, "Job not found", $"Migration job with ID {id} does not exist", local)
            : SimResponse.OmaError(status, status >= 500 ? "Simulated failure" : "Invalid request payload", "injected by the simulator's fault plan", local);
    }

    [GeneratedRegex(@"\{[^}]+\}", RegexOptions.CultureInvariant)]
    private static partial Regex RouteParameter();

    /// <summary>What every appliance of one simulator shares.</summary>
    internal sealed record Services(FaultPlan Faults, RequestJournal Journal, TimeProvider Time, OmaSessions Sessions, TimeSpan LocalOffset);

    private Task JournalAsync(HttpContext context, string body, int status)
    {
        var headers = new Dictionary<string, string>(context.Request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in context.Request.Headers)
        {
            headers[name] = value.ToString();
        }

        _journal.Add(new JournalEntry(_name, context.Request.Method, context.Request.Path.Value ?? "", status, headers, body, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            // A GET, most requests: no reader and its buffers for a body that is not there.
            return "";
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
