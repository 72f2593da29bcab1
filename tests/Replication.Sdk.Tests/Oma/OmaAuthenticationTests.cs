using System.Net;
using Replication.Sdk.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Oma;

public sealed class OmaAuthenticationTests
{
    private const string Login = $"{SdkTestHost.Oma}/auth/login";
    private const string Job1 = $"{SdkTestHost.Oma}/replications/job-1";
    private const string Expired = """{"error":"Invalid or expired token","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""";

    [Fact]
    public async Task NoAuthentication_SendsNoAuthorizationHeader()
    {
        using var host = SdkTestHost.Create();
        host.OmaHttp.Expect(HttpMethod.Get, Job1).With(r => r.Headers.Authorization is null).Respond("application/json", Fixtures.Job("job-1"));

        await host.OmaClient.GetReplicationJobAsync("job-1");

        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task BearerToken_SendsExactHeader()
    {
        using var host = SdkTestHost.Create(configuration: new Dictionary<string, string?>
        {
            ["Replication:Oma:Authentication:Mode"] = "BearerToken",
            ["Replication:Oma:Authentication:BearerToken"] = SdkTestHost.BearerToken,
        });
        host.OmaHttp.Expect(HttpMethod.Get, Job1).WithHeaders("Authorization", $"Bearer {SdkTestHost.BearerToken}").Respond("application/json", Fixtures.Job("job-1"));

        await host.OmaClient.GetReplicationJobAsync("job-1");

        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Login_LogsInOnceAndReusesTheSessionUntilItExpires()
    {
        using var host = SdkTestHost.WithLogin();
        var login = host.OmaHttp.When(HttpMethod.Post, Login)
            .WithContent($$"""{"appliance_id":"oma-appliance-1","token":"{{SdkTestHost.LoginToken}}","version":"replication-sdk"}""")
            .Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddMinutes(30)));
        var job = host.OmaHttp.When(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-token-1").Respond("application/json", Fixtures.Job("job-1"));

        await host.OmaClient.GetReplicationJobAsync("job-1");
        await host.OmaClient.GetReplicationJobAsync("job-1");
        host.Time.Advance(TimeSpan.FromMinutes(28));
        await host.OmaClient.GetReplicationJobAsync("job-1");

        host.OmaHttp.GetMatchCount(login).Should().Be(1);
        host.OmaHttp.GetMatchCount(job).Should().Be(3);
    }

    [Fact]
    public async Task Login_SessionAboutToExpire_LogsInAgainFirst()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddMinutes(30), "session-a"));
        host.OmaHttp.Expect(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-a").Respond("application/json", Fixtures.Job("job-1"));
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddHours(2), "session-b"));
        host.OmaHttp.Expect(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-b").Respond("application/json", Fixtures.Job("job-1"));

        await host.OmaClient.GetReplicationJobAsync("job-1");
        host.Time.Advance(TimeSpan.FromMinutes(29.5)); // inside the 1-minute refresh margin
        await host.OmaClient.GetReplicationJobAsync("job-1");

        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Login_OmaRestartedAndForgotTheSession_LogsInOnceAndReplays()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10), "session-a"));
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").WithHeaders("Authorization", "Bearer session-a").Respond(HttpStatusCode.Unauthorized, "application/json", Expired);
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10), "session-b"));
        host.OmaHttp.Expect(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").WithHeaders("Authorization", "Bearer session-b")
            .WithPartialContent("\"name\":\"web01\"")
            .Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await host.OmaClient.CreateReplicationAsync(Requests.Create());

        result.Should().BeOfType<Replication.Sdk.Oma.ReplicationJobStarted>();
        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Login_SessionRefusalWithItsBodyCutShort_IsStillReplayed()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10), "session-a"));
        // The chaos soak's truncated answer: the refusal's JSON cut in half is no longer JSON, but still names the refusal.
        host.OmaHttp.Expect(HttpMethod.Get, Job1).Respond(HttpStatusCode.Unauthorized, "application/json", Expired[..(Expired.Length / 2)]);
        host.OmaHttp.Expect(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10), "session-b"));
        host.OmaHttp.Expect(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-b").Respond("application/json", Fixtures.Job("job-1"));

        (await host.OmaClient.GetReplicationJobAsync("job-1")).JobId.Should().Be("job-1");

        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Login_OtherUnauthorizedReason_IsNotReplayed()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.When(HttpMethod.Post, Login).Respond("application/json", Fixtures.Login(SdkTestHost.Start.AddYears(10)));
        var job = host.OmaHttp.When(HttpMethod.Get, Job1).Respond(HttpStatusCode.Unauthorized, "application/json",
            """{"error":"Invalid authorization format","details":"","timestamp":"2025-09-19T17:19:28+01:00"}""");

        var error = (await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<OmaAuthenticationException>()).Which;

        error.Error.Should().Be("Invalid authorization format");
        host.OmaHttp.GetMatchCount(job).Should().Be(1);
    }

    [Fact]
    public async Task Login_ConcurrentCallersAfterExpiry_ShareOneLogin()
    {
        using var host = SdkTestHost.WithLogin();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logins = 0;
        host.OmaHttp.When(HttpMethod.Post, Login).Respond(async () =>
        {
            Interlocked.Increment(ref logins);
            await gate.Task; // hold the login open until every caller is waiting on it
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Login(SdkTestHost.Start.AddHours(1))) };
        });
        var job = host.OmaHttp.When(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-token-1").Respond("application/json", Fixtures.Job("job-1"));

        var calls = Enumerable.Range(0, 20).Select(_ => host.OmaClient.GetReplicationJobAsync("job-1")).ToList();
        gate.SetResult();
        await Task.WhenAll(calls);

        logins.Should().Be(1);
        host.OmaHttp.GetMatchCount(job).Should().Be(20);
    }

    [Fact]
    public async Task Login_ConcurrentCallersRejectedTogether_RenewOnce()
    {
        using var host = SdkTestHost.WithLogin();
        var logins = 0;
        host.OmaHttp.When(HttpMethod.Post, Login).Respond(() =>
        {
            var n = Interlocked.Increment(ref logins);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Login(SdkTestHost.Start.AddYears(1), $"session-{n}")) });
        });
        host.OmaHttp.When(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-1").Respond(HttpStatusCode.Unauthorized, "application/json", Expired);
        var fresh = host.OmaHttp.When(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer session-2").Respond("application/json", Fixtures.Job("job-1"));
        host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts").Respond("application/json", "{\"vm_contexts\":[],\"count\":0}");
        await host.OmaClient.ListVmContextsAsync(); // logs in: session-1

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => host.OmaClient.GetReplicationJobAsync("job-1")));

        logins.Should().Be(2, "one initial login and one renewal shared by all ten rejected callers");
        host.OmaHttp.GetMatchCount(fresh).Should().Be(10);
    }

    // The real OMA hands every login the same constant token (reference §3.1); a test OMA may hand out a new one each time.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Login_TwoHundredCallersThroughOneSessionLoss_LogInOnceAndAllSucceed(bool constantToken)
    {
        const int Callers = 200;
        using var host = SdkTestHost.WithLogin();
        var oma = new SessionLosingOma(constantToken, Callers);
        host.OmaHttp.When(HttpMethod.Post, Login).Respond(() => Task.FromResult(oma.Login()));
        host.OmaHttp.When(HttpMethod.Get, Job1).Respond(oma.GetJobAsync);
        await host.OmaClient.GetReplicationJobAsync("job-1");
        oma.Restart();

        var calls = Enumerable.Range(0, Callers).Select(_ => host.OmaClient.GetReplicationJobAsync("job-1")).ToList();
        var results = await Task.WhenAll(calls.Select(async c => { try { await c; return true; } catch (ReplicationException) { return false; } }));

        oma.Logins.Should().Be(2, "one login before the restart and exactly one shared renewal after it");
        results.Count(ok => !ok).Should().Be(0);
        oma.Rejections.Should().Be(Callers);
    }

    // A chaos soak saw session losses close together: the replay after the shared renewal met another OMA restart.
    // The long soak (16,188 submissions) then saw cascades: every loss makes the waiting requests replay, and a replay can
    // meet the next loss; 7 reads in one run met four in a row under a bound of 3.
    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 7)]
    [InlineData(false, 7)]
    public async Task Login_ReplayMeetsNewSessionLosses_RenewsAgainAndSucceeds(bool constantToken, int losses)
    {
        using var host = SdkTestHost.WithLogin();
        var oma = RestartingOma.Serve(host, constantToken);
        await host.OmaClient.GetReplicationJobAsync("job-1");
        oma.RestartOnTheNextRequests(losses);

        var job = await host.OmaClient.GetReplicationJobAsync("job-1");

        job.JobId.Should().Be("job-1");
        oma.Logins.Should().Be(1 + losses, "the first login, then one renewal per session loss");
        oma.Requests.Should().Be(2 + losses, "the first call, then the call and its replay after each loss");
    }

    [Fact]
    public async Task Login_SessionRefusedEveryTime_ThrowsAuthenticationExceptionAfterTheBound()
    {
        using var host = SdkTestHost.WithLogin();
        var oma = RestartingOma.Serve(host, constantToken: true);
        oma.RestartOnTheNextRequests(int.MaxValue);

        var error = (await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<OmaAuthenticationException>()).Which;

        error.Error.Should().Be("Invalid or expired token");
        oma.Logins.Should().Be(9, "the first login and eight renewals, the bound");
        oma.Requests.Should().Be(9, "the request and one replay per renewal");
    }

    [Fact]
    public async Task Login_BadToken_ThrowsAuthenticationExceptionWithoutTheToken()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.When(HttpMethod.Post, Login).Respond(HttpStatusCode.Unauthorized, "application/json", """{"success": false, "error_message": "Invalid credentials"}""");
        var job = host.OmaHttp.When(HttpMethod.Get, Job1).Respond("application/json", Fixtures.Job("job-1"));

        var error = (await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<OmaAuthenticationException>()).Which;

        error.Error.Should().Be("Invalid credentials");
        error.Endpoint.Should().Be("POST /api/v1/auth/login");
        error.ToString().Should().NotContain(SdkTestHost.LoginToken);
        host.OmaHttp.GetMatchCount(job).Should().Be(0);
    }

    [Fact]
    public async Task Login_AnswerWithoutSuccessButWithASessionToken_IsRefused_AndTheSessionTokenIsInNoLogOrError()
    {
        const string session = "sess-SECRET-4d2a";
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.When(HttpMethod.Post, Login).Respond("application/json", $$"""{"session_token":"{{session}}","expires_at":"2030-01-01T00:00:00Z"}""");
        host.OmaHttp.When(HttpMethod.Get, Job1).Respond("application/json", Fixtures.Job("job-1"));

        var error = (await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<OmaAuthenticationException>()).Which;

        error.ToString().Should().NotContain(session);
        host.AllDiagnosticsText().Should().NotContain(session);
    }

    [Fact]
    public async Task Login_MalformedAnswer_ThrowsFormatException()
    {
        using var host = SdkTestHost.WithLogin();
        host.OmaHttp.When(HttpMethod.Post, Login).Respond("application/json", """{"success": true, "session_to""");

        await host.OmaClient.Awaiting(c => c.GetReplicationJobAsync("job-1")).Should().ThrowAsync<ReplicationResponseFormatException>();
    }

    [Fact]
    public async Task CustomCredentialProvider_IsUsed()
    {
        using var host = SdkTestHost.Create(b => b.UseOmaCredentialProvider<VaultProvider>());
        host.OmaHttp.Expect(HttpMethod.Get, Job1).WithHeaders("Authorization", "Bearer from-vault").Respond("application/json", Fixtures.Job("job-1"));

        await host.OmaClient.GetReplicationJobAsync("job-1");

        host.OmaHttp.VerifyNoOutstandingExpectation();
    }

    private sealed class VaultProvider : IOmaCredentialProvider
    {
        public ValueTask<OmaCredential> GetCredentialAsync(CancellationToken cancellationToken) => ValueTask.FromResult(OmaCredential.FromBearerToken("from-vault"));
    }

    /// <summary>An OMA that keeps sessions in memory, forgets them on restart, and holds every rejection until all callers were rejected.</summary>
    private sealed class SessionLosingOma(bool constantToken, int rejectionsToHold)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _sessions = [];
        private readonly TaskCompletionSource _allRejected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _logins;
        private int _rejections;

        public int Logins => Volatile.Read(ref _logins);

        public int Rejections => Volatile.Read(ref _rejections);

        public HttpResponseMessage Login()
        {
            var n = Interlocked.Increment(ref _logins);
            var token = constantToken ? "constant-session" : $"session-{n}";
            lock (_lock)
            {
                _sessions.Add(token);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Login(SdkTestHost.Start.AddYears(10), token)) };
        }

        public void Restart()
        {
            lock (_lock)
            {
                _sessions.Clear();
            }
        }

        public async Task<HttpResponseMessage> GetJobAsync(HttpRequestMessage request)
        {
            var token = request.Headers.Authorization?.Parameter ?? "";
            bool valid;
            lock (_lock)
            {
                valid = _sessions.Contains(token);
            }

            if (valid)
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Job("job-1")) };
            }

            // Every caller is rejected before any of them can renew: the moment a constant token makes token comparison useless.
            if (Interlocked.Increment(ref _rejections) >= rejectionsToHold)
            {
                _allRejected.TrySetResult();
            }

            await _allRejected.Task;
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent(Expired, System.Text.Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>An OMA that restarts (forgets its sessions) as the next requests arrive, each a new session loss.</summary>
    private sealed class RestartingOma(bool constantToken)
    {
        private readonly Lock _lock = new();
        private string? _session;
        private int _restartsToCome;

        public int Logins { get; private set; }

        /// <summary>Answers the host's logins and <c>GET job-1</c>.</summary>
        public static RestartingOma Serve(SdkTestHost host, bool constantToken)
        {
            var oma = new RestartingOma(constantToken);
            host.OmaHttp.When(HttpMethod.Post, Login).Respond(() => Task.FromResult(oma.LogIn()));
            host.OmaHttp.When(HttpMethod.Get, Job1).Respond(request => Task.FromResult(oma.GetJob(request)));
            return oma;
        }

        public int Requests { get; private set; }

        public void RestartOnTheNextRequests(int count)
        {
            lock (_lock)
            {
                _restartsToCome = count;
            }
        }

        public HttpResponseMessage LogIn()
        {
            lock (_lock)
            {
                Logins++;
                _session = constantToken ? "constant-session" : $"session-{Logins}";
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Login(SdkTestHost.Start.AddYears(10), _session)) };
            }
        }

        public HttpResponseMessage GetJob(HttpRequestMessage request)
        {
            lock (_lock)
            {
                Requests++;
                if (_restartsToCome > 0)
                {
                    _restartsToCome--;
                    _session = null;
                }

                return _session is not null && request.Headers.Authorization?.Parameter == _session
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fixtures.Job("job-1")) }
                    : new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent(Expired, System.Text.Encoding.UTF8, "application/json") };
            }
        }
    }
}
