using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>
/// An operator action the authorization policy refuses never reaches the action, yet a signed-in user's attempt is
/// audited (who, what, which target, refused, why), on the API and the dashboard alike; an anonymous one is not.
/// </summary>
public sealed class ForbiddenActionAuditTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/replication/schedules/nightly/trigger", "trigger", "schedule 'nightly'")]
    [InlineData("/api/replication/groups/web/pause", "pause", "group 'web'")]
    [InlineData("/api/replication/vms/ctx-vm001/resume", "resume", "vm 'ctx-vm001'")]
    public async Task ApiAction_ForbiddenByThePolicy_Is403_AndAuditedAsRefused_NamingTheUserAndTarget(string path, string action, string target)
    {
        using var viewer = _app.CreateClient("mallory", roles: "viewer");

        var response = await viewer.PostAsJsonAsync(path, new { reason = "let me" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var record = _app.Audit.Records.Should().ContainSingle().Subject;
        record.Should().BeEquivalentTo(new { Principal = "mallory", Action = action, Target = target, Outcome = AuditOutcome.Refused, Channel = "api", ExecutionId = (string?)null });
        record.Detail.Should().Contain(TestApp.Policy);
        _app.Executions.All.Should().BeEmpty("the action never ran");
        (await _app.App.Services.GetRequiredService<IPauseControl>().GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task DashboardAction_ForbiddenByThePolicy_IsAuditedOnTheDashboardChannel()
    {
        using var viewer = _app.CreateClient("mallory", roles: "viewer");

        var response = await viewer.PostAsync("/replication/schedules/nightly/pause", new FormUrlEncodedContent([new("reason", "x")]));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "mallory", Action = "pause", Outcome = AuditOutcome.Refused, Channel = "dashboard" });
    }

    [Fact]
    public async Task AnonymousAction_Is401_AndLeavesNoAuditRecord()
    {
        using var anonymous = _app.CreateClient(user: null);

        for (var i = 0; i < 20; i++)
        {
            (await anonymous.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        _app.Audit.Records.Should().BeEmpty("no one to name, and no row per unauthenticated request");
    }

    [Fact]
    public async Task ForbiddenRead_IsNotAudited()
    {
        using var viewer = _app.CreateClient("mallory", roles: "viewer");

        (await viewer.GetAsync("/api/replication/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        _app.Audit.Records.Should().BeEmpty();
    }

    [Fact]
    public async Task AHandlerRegisteredBefore_IsKeptBehindTheAudit()
    {
        var custom = new CountingResultHandler();
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IAuthorizationMiddlewareResultHandler>(custom));
        using var viewer = app.CreateClient("mallory", roles: "viewer");

        var response = await viewer.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        custom.Forbidden.Should().Be(1, "the host's own handler still decides the response");
        app.Audit.Records.Should().ContainSingle().Which.Outcome.Should().Be(AuditOutcome.Refused);
    }

    [Fact]
    public async Task ASinkThatFails_StillRefusesWith403()
    {
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IAuditSink, ThrowingSink>());
        using var viewer = app.CreateClient("mallory", roles: "viewer");

        var response = await viewer.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a refusal stays a refusal when its record cannot be written");
    }

    [Fact]
    public async Task ASinkThatKeepsFailing_LeavesTheActionsAnswer_AndTheWholeRecordInTheLog()
    {
        var logs = new CapturingLogs();
        await using var app = await TestApp.StartAsync(services: s =>
        {
            s.AddSingleton<IAuditSink, ThrowingSink>();
            s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        });
        using var alice = app.CreateClient("alice");

        var response = await alice.PostAsJsonAsync("/api/replication/schedules/nightly/trigger", new { reason = "after the\nfailover test" });

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, "the execution started: a 500 would invite a second trigger");
        var line = logs.Lines.Should().ContainSingle(l => l.EventId == 4005).Subject;
        line.Message.Should().Contain("alice").And.Contain("trigger").And.Contain("schedule 'nightly'").And.Contain("Succeeded").And.Contain("after the\\nfailover test");
    }

    [Fact]
    public async Task ASinkThatFailsTwice_GetsTheRecordAtTheThirdAttempt()
    {
        var sink = new FlakySink(failures: 2);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IAuditSink>(sink));
        using var alice = app.CreateClient("alice");

        (await alice.PostAsJsonAsync("/api/replication/schedules/nightly/pause", new { reason = "maintenance" })).StatusCode.Should().Be(HttpStatusCode.OK);

        sink.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Principal = "alice", Action = "pause", Outcome = AuditOutcome.Succeeded });
        sink.Attempts.Should().Be(3);
    }

    private sealed class FlakySink(int failures) : IAuditSink
    {
        public List<AuditRecord> Records { get; } = [];

        public int Attempts { get; private set; }

        public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
        {
            if (++Attempts <= failures)
            {
                throw new InvalidOperationException("deadlock found when trying to get lock");
            }

            Records.Add(record);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<AuditRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditRecord>>([.. Records]);
    }

    private sealed class CapturingLogs : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(int EventId, string Message)> Lines { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLogs owner) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue((eventId.Id, formatter(state, exception)));
        }
    }

    private sealed class CountingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public int Forbidden { get; private set; }

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden)
            {
                Forbidden++;
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }

    private sealed class ThrowingSink : IAuditSink
    {
        public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default) => throw new InvalidOperationException("audit table gone");

        public Task<IReadOnlyList<AuditRecord>> GetRecentAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditRecord>>([]);
    }
}
