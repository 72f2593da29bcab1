using System.Net;
using System.Net.Http.Json;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>An action that fails (not refused: the store broke) still leaves its audit record, with the failure.</summary>
public sealed class FailedActionAuditTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(services: s => s.AddSingleton<IPauseStore, BrokenPauseStore>());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Pause_WhenTheStoreFails_Is500_AndAuditedAsFailed_WithTheError()
    {
        using var client = _app.CreateClient("frank");

        var response = await client.PostAsJsonAsync("/api/replication/groups/web/pause", new { reason = "maintenance" });

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        _app.Audit.Records.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Principal = "frank", Action = "pause", Target = "group 'web'", Outcome = AuditOutcome.Failed, Detail = BrokenPauseStore.Message, Channel = "api",
        });
    }

    private sealed class BrokenPauseStore : IPauseStore
    {
        public const string Message = "pause table unreachable";

        public Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<PauseState>>([]);

        public Task<PauseState?> TryAddAsync(PauseState pause, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

        public Task<PauseState?> TryRemoveAsync(PauseTarget target, string? pauseId, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);

        public Task<PauseSkipTally> RecordSkipAsync(string pauseId, string executionId, DateTimeOffset? occurrence, int cap, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Message);
    }
}
