using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Replication.Sdk.Samples.Console;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>The sample's <c>--dashboard</c> mode as getting-started runs it: loopback, development sign-in, the sample's schedules.</summary>
public sealed class DashboardSampleTests
{
    [Fact]
    public async Task Dashboard_SignsTheDeveloperIn_AndShowsTheSampleSchedules()
    {
        using var output = new StringWriter();
        var (app, simulator) = await DashboardSample.BuildAsync(["--dashboard"], output, c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Sample:DashboardUrl"] = "http://127.0.0.1:0" }));
        await using (simulator)
        await using (app)
        {
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = address };
            using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };

            var refused = await anonymous.GetAsync("/api/replication/schedules");
            var redirected = await anonymous.GetAsync("/replication/");
            var page = await browser.GetAsync("/replication/");
            var html = await page.Content.ReadAsStringAsync();
            var api = await browser.GetStringAsync("/api/replication/schedules");

            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the cookie handler answers an API call 401, not a redirect");
            redirected.StatusCode.Should().Be(HttpStatusCode.Redirect, "an anonymous browser is sent to the sign-in, never served");
            redirected.Headers.Location!.AbsolutePath.Should().Be(DashboardSample.DevelopmentSignInPath);
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/replication/", "the sign-in returns to the page asked for");
            html.Should().Contain("Signed in as <strong id=\"user\">developer</strong>").And.Contain("Nightly production").And.Contain("Every 10 seconds");
            api.Should().Contain("\"id\":\"nightly-prod\"");
            await app.StopAsync();
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://example.com:5080")]
    public async Task Dashboard_RefusesANonLoopbackAddress(string url)
    {
        using var output = new StringWriter();

        var exitCode = await SampleApp.RunAsync(["--dashboard"], output, c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Sample:DashboardUrl"] = url }));

        exitCode.Should().Be(ExitCodes.BadConfiguration);
        output.ToString().Should().Contain("Sample:DashboardUrl must be an http URL on a loopback address");
    }
}
