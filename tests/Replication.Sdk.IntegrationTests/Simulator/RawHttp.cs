using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Raw requests to a simulated appliance, for assertions on the wire shape rather than on what the SDK makes of it.</summary>
internal sealed class RawHttp(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public string? Bearer { get; set; }

    public static string CreateBody(Testing.SimulatedVm vm, string extra = "", string? vmwareId = null, string? name = null) =>
        $$"""
        {"source_vm":{"id":"{{vmwareId ?? vm.Id}}","name":"{{name ?? vm.Name}}","path":"{{vm.Path}}","cpus":{{vm.NumCpu}},"memory_mb":{{vm.MemoryMb}},"os_type":"{{vm.GuestOs}}","power_state":"{{vm.PowerState}}",
          "disks":[{{string.Join(",", vm.Disks.Select((d, i) => $$"""{"id":"disk-{{d.Key}}","path":"[{{d.Datastore}}] {{d.FileName}}","size_gb":{{(d.CapacityBytes + (1L << 30) - 1) >> 30}},"capacity_bytes":{{d.CapacityBytes}},"datastore":"{{d.Datastore}}"}"""))}}]},
         "ossea_config_id":7,"target_network":"it-net","vcenter_host":"{{vm.VCenter}}","datacenter":"{{vm.Datacenter}}"{{extra}}}
        """;

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (Bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
        }

        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<(int Status, string Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(int Status, string Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? json = null, int expectedStatus = 200)
    {
        var (status, body) = await SendAsync(method, path, json);
        status.Should().Be(expectedStatus, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
