using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Replication.Sdk.Testing;

namespace Replication.Sdk.Samples.Console;

/// <summary>
/// <c>--dashboard</c>: the scheduler on the embedded simulator with its dashboard (<c>/replication/</c>) and management API
/// (<c>/api/replication/</c>) on a loopback address, behind a development sign-in. A real host puts its own
/// authentication (OpenID Connect, Windows, certificates) where <see cref="DevelopmentSignInPath"/> is.
/// </summary>
public static class DashboardSample
{
    /// <summary>The policy the dashboard and the API require.</summary>
    public const string Policy = "ReplicationOperators";

    /// <summary>The role the policy asks for.</summary>
    public const string OperatorRole = "replication-operator";

    /// <summary>The development sign-in: it signs the browser in as <c>developer</c> with <see cref="OperatorRole"/>.</summary>
    public const string DevelopmentSignInPath = "/dev/sign-in";

    /// <summary>Runs the dashboard until Ctrl+C.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="configure">More configuration (tests).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, Action<IConfigurationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (app, simulator) = await BuildAsync(args, output, configure);
        await using (simulator)
        await using (app)
        {
            await app.StartAsync();
            await output.WriteLineAsync($"Dashboard: {app.Urls.First().TrimEnd('/')}/replication/  (development sign-in as 'developer'; API at /api/replication/, OpenAPI at /api/replication/openapi/replication-scheduling.json)");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync();
            return ExitCodes.Success;
        }
    }

    /// <summary>Builds the host (not started): the simulator running, the schedules loaded, the dashboard mapped.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="configure">More configuration (tests).</param>
    /// <returns>The application and the simulator (null with <c>Sample:UseSimulator=false</c>), both for the caller to dispose.</returns>
    public static async Task<(WebApplication App, ApplianceSimulator? Simulator)> BuildAsync(string[] args, TextWriter output, Action<IConfigurationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args.Where(a => a is not "--dashboard")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        var settings = builder.Configuration.GetSection("Sample").Get<SampleSettings>() ?? new SampleSettings();
        SampleApp.Validate(settings);

        // The development sign-in below lets anyone who can reach the port in: loopback only.
        if (!Uri.TryCreate(settings.DashboardUrl, UriKind.Absolute, out var url) || !(url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip))))
        {
            throw new SampleConfigurationException($"Sample:DashboardUrl must be an http URL on a loopback address (127.0.0.1, [::1], localhost); was '{settings.DashboardUrl}'.");
        }

        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        var simulator = settings.UseSimulator ? await SampleApp.StartSimulatorAsync(settings) : null;
        if (simulator is not null)
        {
            SampleApp.PointAtSimulator(builder.Configuration, simulator);
        }

        builder.Services.AddReplicationScheduling();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => o.LoginPath = DevelopmentSignInPath);
        builder.Services.AddAuthorization(o => o.AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireRole(OperatorRole)));
        builder.Services.AddReplicationSchedulingApi(o => o.AuthorizationPolicy = Policy);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(DevelopmentSignInPath, async (HttpContext http, string? returnUrl) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "developer"), new Claim(ClaimTypes.Role, OperatorRole)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));

            // Only a local path: the sign-in never sends the browser to another site.
            return Results.LocalRedirect(returnUrl is { Length: > 0 } local && local.StartsWith('/') && !local.StartsWith("//", StringComparison.Ordinal) ? local : "/replication/");
        });
        app.MapReplicationSchedulingApi();
        app.MapReplicationDashboard();

        await SampleApp.LoadAsync(app.Services, settings, simulator, output);
        return (app, simulator);
    }
}
