using System.Net;
using Replication.Sdk.Credentials;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Diagnostics;

/// <summary>Secrets (vCenter password, login token, session token, bearer token) must not reach logs, traces, exceptions or ToString().</summary>
public sealed class SecretRedactionTests
{
    private const string SessionToken = "session-SECRET-5e55";
    private static readonly string[] Secrets = [SdkTestHost.VCenterPassword, SdkTestHost.LoginToken, SessionToken];

    [Fact]
    public async Task SuccessAndFailurePaths_LeaveNoSecretInLogsTracesOrExceptions()
    {
        using var host = SdkTestHost.WithLogin();
        var errors = new List<Exception>();
        host.VmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Vma}/discover").Respond("application/json", Fixtures.Read("vma-real/discover-filter-substring.json"));
        host.VmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Vma}/discover").Respond(_ => Task.FromResult(Fixtures.CapturedResponse("vma-real/error-wrong-password.txt")));
        host.VmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Vma}/discover").Respond("application/json", "{\"vms\":[");  // retried like a 5xx, so every attempt is malformed
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/auth/login").Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddDays(1), SessionToken));
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);
        host.OmaHttp.Expect(HttpMethod.Get, $"{SdkTestHost.Oma}/replications/job-1").Respond(HttpStatusCode.Unauthorized, "application/json",
            """{"error":"Invalid or expired token","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""");
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/auth/login").Respond(HttpStatusCode.Unauthorized, "application/json",
            $$"""{"success": false, "error_message": "Invalid credentials for {{SdkTestHost.LoginToken}}"}""");
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));

        var request = new DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC0", NameFilters = ["VM1"] };
        await host.VmaClient.DiscoverAsync(request);
        await Capture(() => host.VmaClient.DiscoverAsync(request));
        await Capture(() => host.VmaClient.DiscoverAsync(request));
        await host.OmaClient.CreateReplicationAsync(Requests.Create());
        await Capture(() => host.OmaClient.GetReplicationJobAsync("job-1"));
        await Capture(() => host.OmaClient.CreateReplicationAsync(Requests.Create()));

        errors.Should().HaveCount(4);
        host.Logs.Count.Should().BeGreaterThan(10, "the test must actually see the SDK's and HttpClient's log lines");
        var everything = host.AllDiagnosticsText() + string.Join('\n', errors.Select(e => e.ToString()))
            + string.Join('\n', errors.OfType<ReplicationApiException>().Select(e => e.RawBody));
        foreach (var secret in Secrets)
        {
            everything.Should().NotContain(secret);
        }

        async Task Capture(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (ReplicationException ex)
            {
                errors.Add(ex);
            }
        }
    }

    [Fact]
    public void CredentialTypes_ToString_RedactSecrets()
    {
        new VCenterCredential("user", SdkTestHost.VCenterPassword).ToString().Should().NotContain(SdkTestHost.VCenterPassword).And.Contain("user");
        OmaCredential.ForLogin("app-1", SdkTestHost.LoginToken).ToString().Should().NotContain(SdkTestHost.LoginToken).And.Contain("app-1");
        OmaCredential.FromBearerToken(SdkTestHost.BearerToken).ToString().Should().NotContain(SdkTestHost.BearerToken);
        new VCenterCredentialEntry { Host = "h", Username = "u", Password = SdkTestHost.VCenterPassword }.ToString().Should().NotContain(SdkTestHost.VCenterPassword);
    }
}
