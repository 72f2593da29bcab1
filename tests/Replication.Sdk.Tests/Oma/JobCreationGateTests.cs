using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Oma;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Oma;

public sealed class JobCreationGateTests
{
    [Fact]
    public async Task ARefusingGate_StopsTheCreateBeforeItLeaves_AndTheSubmissionSaysNothingWasSent()
    {
        var gate = new SwitchGate { Refuse = true };
        using var host = SdkTestHost.Create(b => b.Services.AddSingleton<IJobCreationGate>(gate));
        var creates = host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var refused = await FluentActions.Awaiting(() => host.OmaClient.CreateReplicationAsync(Requests.Create())).Should().ThrowAsync<JobCreationRefusedException>();
        refused.Which.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("lease gone");
        host.OmaHttp.GetMatchCount(creates).Should().Be(0, "the refusal comes before the request is sent");
        gate.Asked.Should().Be(1);
    }

    [Fact]
    public async Task APassingGate_LetsTheCreateThrough_AndOtherRequestsAreNeverGated()
    {
        var gate = new SwitchGate();
        using var host = SdkTestHost.Create(b => b.Services.AddSingleton<IJobCreationGate>(gate));
        host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);
        host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/replications/job-1").Respond("application/json", Fixtures.Job("job-1"));

        var created = await host.OmaClient.CreateReplicationAsync(Requests.Create());
        created.Should().BeOfType<ReplicationJobStarted>();
        gate.Asked.Should().Be(1);

        gate.Refuse = true;
        await host.OmaClient.GetReplicationJobAsync("job-1");
        gate.Asked.Should().Be(1, "only a job-creating POST asks the gate");
    }

    [Fact]
    public async Task ASubmissionStoppedByTheGate_IsAFailureThatSentNothing_NeverOutcomeUnknown()
    {
        var gate = new SwitchGate { Refuse = true };
        using var host = SdkTestHost.Create(b => b.Services.AddSingleton<IJobCreationGate>(gate));
        host.VmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Vma}/discover").Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        host.OmaHttp.When(HttpMethod.Get, $"{SdkTestHost.Oma}/vm-contexts/web01").Respond("application/json", $$"""{"context":{{Fixtures.Context("web01", null)}},"job_history":[]}""");
        var creates = host.OmaHttp.When(HttpMethod.Post, $"{SdkTestHost.Oma}/replications").Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted);

        var result = await host.Submitter.SubmitAsync(new Replication.Sdk.Jobs.ReplicationTarget
        {
            VmName = "web01", VmwareVmId = "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e", VCenterHost = "vcenter.example.local", Datacenter = "DC1",
        });

        result.Status.Should().Be(Replication.Sdk.Jobs.SubmissionStatus.Failed);
        result.IsTransient.Should().BeFalse("the gate said this process may not create: retrying it here would not change that");
        result.Error.Should().BeOfType<JobCreationRefusedException>();
        result.RequestStartedAt.Should().BeNull("no create was sent");
        host.OmaHttp.GetMatchCount(creates).Should().Be(0);
    }

    [Fact]
    public async Task AGateThatCancels_OnTheCallersToken_IsACancellation_NotARefusal()
    {
        var gate = new SwitchGate { Block = true };
        using var host = SdkTestHost.Create(b => b.Services.AddSingleton<IJobCreationGate>(gate));
        using var cts = new CancellationTokenSource();
        var call = host.OmaClient.CreateReplicationAsync(Requests.Create(), cts.Token);
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed class SwitchGate : IJobCreationGate
    {
        public bool Refuse { get; set; }

        public bool Block { get; init; }

        public int Asked { get; private set; }

        public async ValueTask EnsureMaySendAsync(CancellationToken cancellationToken)
        {
            Asked++;
            if (Block)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Refuse)
            {
                throw new InvalidOperationException("lease gone");
            }
        }
    }
}
