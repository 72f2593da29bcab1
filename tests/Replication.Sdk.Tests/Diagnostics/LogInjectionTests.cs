using System.Net;
using Replication.Sdk.Jobs;
using Replication.Sdk.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Replication.Sdk.Tests.Diagnostics;

/// <summary>Names from vCenter and texts from the appliances cannot forge log lines, exception messages or outcome reasons.</summary>
public sealed class LogInjectionTests : IDisposable
{
    private const string Injected = "\r\n2025-09-19 16:00:00 info: Replication.Sdk[1005] Created replication job job-fake\u001b[0m\u2028";
    private const string Discover = $"{SdkTestHost.Vma}/discover";
    private const string Context = $"{SdkTestHost.Oma}/vm-contexts/web01";
    private const string Create = $"{SdkTestHost.Oma}/replications";

    private readonly SdkTestHost _host = SdkTestHost.Create();

    public void Dispose() => _host.Dispose();

    private static ReplicationTarget Web01 => new() { VmName = "web01", VmwareVmId = "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e", VCenterHost = "vcenter.example.local", Datacenter = "DC1" };

    [Fact]
    public async Task VmNameWithControlCharacters_IsEscapedInTheReasonTheErrorAndTheLogs()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json",
            Inventories.Json(Inventories.Of(Inventories.Vm("web01" + Injected, "vm-9"), Inventories.Vm("web010", "vm-10"))));
        _host.OmaHttp.When(HttpMethod.Get, "*").Respond(HttpStatusCode.NotFound, "application/json", """{"error":"VM context not found","timestamp":"2025-09-19T16:19:28Z"}""");
        _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.Created, "application/json", Fixtures.JobStarted.Replace("job-20250919-171928.123-a1b2c3", "job-1\\nFAKE", StringComparison.Ordinal));

        var result = await _host.Submitter.SubmitAsync(Web01 with { VmName = "web01" + Injected, VmwareVmId = null, VmPath = null });
        var other = await _host.Submitter.SubmitAsync(Web01 with { VmName = "web0", VmwareVmId = null });

        result.Status.Should().Be(SubmissionStatus.JobCreated);
        result.JobId.Should().Be("job-1\nFAKE", "the job id is the OMA's, unchanged");
        other.Error.Should().BeOfType<VmNotFoundException>("its near matches quote the injected name");
        AssertOneLine(other.Reason, other.Error!.Message);
        other.Reason.Should().Contain("\\r\\n2025-09-19").And.Contain("\\u001b[0m").And.Contain("\\u2028");
        AssertLogsAreOneLineEach();
    }

    [Fact]
    public async Task ApplianceErrorTextWithControlCharacters_IsEscapedInTheReasonTheErrorAndTheLogs()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond("application/json", Inventories.Json(Inventories.Web01Family()));
        _host.OmaHttp.When(HttpMethod.Get, Context).Respond(HttpStatusCode.NotFound, "application/json", """{"error":"VM context not found","timestamp":"2025-09-19T16:19:28Z"}""");
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "Invalid request payload" + Injected, ["details"] = "bad" + Injected, ["timestamp"] = "2025-09-19T17:19:28+01:00" });
        _host.OmaHttp.When(HttpMethod.Post, Create).Respond(HttpStatusCode.BadRequest, "application/json", body);

        var result = await _host.Submitter.SubmitAsync(Web01);

        result.Status.Should().Be(SubmissionStatus.Failed);
        var error = result.Error.Should().BeAssignableTo<OmaApiException>().Which;
        error.Error.Should().Contain("\n", "the property keeps the appliance's raw text");
        AssertOneLine(result.Reason, error.Message);
        AssertLogsAreOneLineEach();
    }

    [Fact]
    public async Task VmaErrorTextWithControlCharacters_IsEscapedInTheMessageAndTheLogs()
    {
        _host.VmaHttp.When(HttpMethod.Post, Discover).Respond(HttpStatusCode.BadRequest, "text/plain", "Invalid request: x" + Injected + "\n");

        var error = (await _host.VmaClient.Awaiting(c => c.DiscoverAsync(new Replication.Sdk.Vma.DiscoverVmsRequest { VCenterHost = "vcenter.example.local", Datacenter = "DC1" }))
            .Should().ThrowAsync<VmaApiException>()).Which;

        AssertOneLine(error.Message);
        AssertLogsAreOneLineEach();
    }

    private static void AssertOneLine(params string?[] texts)
    {
        foreach (var text in texts)
        {
            text.Should().NotBeNull();
            text!.Where(c => char.IsControl(c) || c is '\u2028' or '\u2029').Should().BeEmpty($"'{text}' must be one line");
        }
    }

    private void AssertLogsAreOneLineEach()
    {
        var sdkLines = _host.Logs.GetSnapshot().Where(r => r.Category?.StartsWith("Replication.Sdk", StringComparison.Ordinal) == true).ToList();
        sdkLines.Should().NotBeEmpty();
        AssertOneLine(sdkLines.Select(r => r.Message).ToArray());
    }
}
