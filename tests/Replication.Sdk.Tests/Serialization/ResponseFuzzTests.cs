using System.Net;
using Replication.Sdk.Jobs;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Serialization;

/// <summary>
/// Real answers, damaged at random (seeded): whatever the damage, a client either returns a model without a null its
/// annotations rule out or throws a typed <see cref="ReplicationException"/>, and
/// <see cref="IReplicationJobSubmitter.SubmitAsync"/> returns a result whose error is typed.
/// A failure lists each seed with the damage done, so it replays.
/// </summary>
public sealed class ResponseFuzzTests : IDisposable
{
    private const int Samples = 150;
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private const string Oma = SdkTestHost.Oma;
    private const string VmName = RealVms.WebLinux01;
    private const string VmId = RealVms.WebLinux01Id;

    private readonly SdkTestHost _host = SdkTestHost.Create();

    public void Dispose() => _host.Dispose();

    private static string ContextDetails => $$"""
        {"context":{{Fixtures.Context(VmName, "job-1").Replace("4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e", VmId, StringComparison.Ordinal)}},
         "current_job":{"id":"job-1","status":"replicating","replication_type":"initial","progress_percent":5,"created_at":"2025-09-19T16:19:28Z"},
         "job_history":[{"id":"job-1","status":"replicating","replication_type":"initial","progress_percent":5,"source_vm_id":"{{VmId}}","created_at":"2025-09-19T16:19:28Z"}],
         "disks":[{"disk_id":"disk-2000"}],"cbt_history":[],"last_operation":{"op":"x"} }
        """;

    public static TheoryData<string> ClientAnswers => ["discover-all", "discover-substring", "job", "context", "context-list", "recent-jobs", "create-started", "create-added"];

    [Theory]
    [MemberData(nameof(ClientAnswers))]
    public async Task Clients_DamagedRealAnswers_ReturnNoImpossibleNullAndOnlyTypedExceptionsEscape(string answer)
    {
        var (fixture, call) = Answer(answer);
        var escaped = new List<string>();
        for (var seed = 0; seed < Samples; seed++)
        {
            var (body, damage) = JsonMutator.Mutate(fixture, new Random(seed), 1 + (seed % 3));
            _host.VmaHttp.Clear();
            _host.OmaHttp.Clear();
            _host.VmaHttp.When("*").Respond("application/json", body);
            _host.OmaHttp.When("*").Respond(HttpStatusCode.Created, "application/json", body);
            try
            {
                if (NullabilityAudit.FindNull(await call()) is { } path)
                {
                    escaped.Add($"seed {seed} ({damage}): returned null at {path}");
                }
            }
            catch (ReplicationException)
            {
            }
            catch (Exception ex)
            {
                escaped.Add($"seed {seed} ({damage}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        escaped.Should().BeEmpty();
    }

    [Fact]
    public async Task SubmitAsync_DamagedRealAnswers_NeverThrowsAndReportsOnlyTypedErrors()
    {
        var inventory = Fixtures.Read("vma-real/extra-discover-all.json");
        var job = Fixtures.Job("job-1");
        var escaped = new List<string>();
        for (var seed = 0; seed < Samples; seed++)
        {
            var random = new Random(seed);
            var (discovery, discoveryDamage) = random.Next(2) == 0 ? JsonMutator.Mutate(inventory, random, 1 + random.Next(3)) : (inventory, "");
            var (context, contextDamage) = JsonMutator.Mutate(ContextDetails, random, 1 + random.Next(3));
            var (active, jobDamage) = JsonMutator.Mutate(job, random, 1 + random.Next(3));
            _host.VmaHttp.Clear();
            _host.OmaHttp.Clear();
            _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", discovery);
            _host.OmaHttp.When(HttpMethod.Get, $"{Oma}/vm-contexts/{VmName}").Respond("application/json", context);
            _host.OmaHttp.When(HttpMethod.Get, $"{Oma}/replications/job-1").Respond("application/json", active);
            // A 409 sends the submitter to read the damaged job; the context names job-1 as current.
            _host.OmaHttp.When(HttpMethod.Post, $"{Oma}/replications").Respond(HttpStatusCode.Conflict, "application/json",
                $$"""{"error":"VM has active replication job","details":"VM '{{VmName}}' ({{VmId}}) already has active job: job-1","timestamp":"2025-09-19T17:19:28+01:00"}""");
            var damage = $"discovery: {discoveryDamage}; context: {contextDamage}; job: {jobDamage}";
            try
            {
                var result = await _host.Submitter.SubmitAsync(RealVms.WebLinux01Target);
                if (result.Error is { } error and not ReplicationException)
                {
                    escaped.Add($"seed {seed} ({damage}): result error {error.GetType().Name}: {error.Message}");
                }
            }
            catch (Exception ex)
            {
                escaped.Add($"seed {seed} ({damage}): threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        escaped.Should().BeEmpty();
    }

    private (string Fixture, Func<Task<object>> Call) Answer(string name) => name switch
    {
        "discover-all" => (Fixtures.Read("vma-real/extra-discover-all.json"), async () => await _host.VmaClient.DiscoverAsync(Dc0())),
        "discover-substring" => (Fixtures.Read("vma-real/discover-filter-substring.json"), async () => await _host.VmaClient.DiscoverAsync(Dc0())),
        "job" => (Fixtures.Job("job-1"), async () => await _host.OmaClient.GetReplicationJobAsync("job-1")),
        "context" => (ContextDetails, async () => await _host.OmaClient.GetVmContextAsync(VmName)),
        "context-list" => ($$"""{"vm_contexts":[{{Fixtures.Context()}}],"count":1}""", async () => await _host.OmaClient.ListVmContextsAsync()),
        "recent-jobs" => ($$"""{"context_id":"ctx-1","jobs":[{"job_id":"job-1","job_type":"replication","status":"completed","progress":100,"started_at":"2025-09-19T16:19:28.000Z","completed_at":"2025-09-19T16:29:28.000Z","display_name":"web01","data_source":"replication_jobs","duration_seconds":600}],"count":1}""", async () => await _host.OmaClient.GetRecentJobsAsync("ctx-1")),
        "create-started" => (Fixtures.JobStarted, async () => await _host.OmaClient.CreateReplicationAsync(Requests.Create())),
        "create-added" => (Fixtures.VmAdded, async () => await _host.OmaClient.CreateReplicationAsync(Requests.Create())),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static DiscoverVmsRequest Dc0() => new() { VCenterHost = "vcenter.example.local", Datacenter = "DC0" };
}
