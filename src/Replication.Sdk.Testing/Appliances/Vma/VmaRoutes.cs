using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Testing;

/// <summary>The VMA's routes, quirks included: substring filter, <c>cpus</c> 0, <c>os_type</c> "", text/plain errors.</summary>
internal static class VmaRoutes
{
    public static void Map(SimulatedAppliance vma, WebApplication app, SimulatorOptions options, SimulatedInventory inventory, OmaState oma)
    {
        var started = options.TimeProvider.GetUtcNow();
        vma.Map(app, "POST", "/api/v1/discover", (_, _) => null, r => Task.FromResult(Discover(r.Body, options, inventory)));
        vma.Map(app, "GET", "/api/v1/health", (_, _) => null, _ => Task.FromResult(SimResponse.Ok(new
        {
            status = "healthy", timestamp = GoTime.Format(options.TimeProvider.GetUtcNow()), uptime = $"{(options.TimeProvider.GetUtcNow() - started).TotalSeconds:0.###}s",
        })));
        vma.Map(app, "GET", "/api/v1/status/{job_id}", (_, _) => null, r =>
        {
            var id = r.Route("job_id");
            return Task.FromResult(Job(oma, id) is { } job
                ? SimResponse.Ok(new { job_id = job.Id, status = job.Status is "completed" or "failed" ? job.Status : "running", progress_percent = job.Status == "completed" ? 100.0 : 50.0, current_operation = "Transfer", start_time = GoTime.Format(job.CreatedAt), last_update = GoTime.Format(options.TimeProvider.GetUtcNow()) })
                : SimResponse.Text(404, $"Job not found: {id}"));
        });
        vma.Map(app, "GET", "/api/v1/progress/{jobId}", (_, _) => null, r =>
        {
            var id = r.Route("jobId");
            SimulatedJob? job;
            (string Status, string Phase, int Percentage, DateTimeOffset LastUpdate) transfer = default;
            long eta = 0;
            lock (oma.Sync)
            {
                oma.Settle();
                job = oma.Job(id);
                if (job is not null)
                {
                    transfer = oma.Transfer(job);
                    eta = oma.EtaSeconds(job);
                }
            }

            if (job is null)
            {
                return Task.FromResult(SimResponse.Text(404, "job not found"));
            }

            // The VMA streams while newer OMA builds leave the job row alone: this view moves with the transfer clock.
            var total = Math.Max(1L << 30, job.Disks.Sum(d => d.CapacityBytes));
            return Task.FromResult(SimResponse.Ok(new
            {
                job_id = job.Id, status = transfer.Status, sync_type = "full", phase = transfer.Phase, percentage = (double)transfer.Percentage,
                current_operation = transfer.Phase, bytes_transferred = total / 100 * transfer.Percentage, total_bytes = total,
                throughput = new { current_mbps = 100.0, average_mbps = 90.0, peak_mbps = 120.0 },
                timing = new { start_time = GoTime.Format(job.CreatedAt), last_update = GoTime.Format(transfer.LastUpdate), elapsed_ms = (long)(transfer.LastUpdate - job.CreatedAt).TotalMilliseconds, eta_seconds = eta },
                phases = Array.Empty<object>(), errors = Array.Empty<object>(),
            }));
        });
    }

    private static SimulatedJob? Job(OmaState oma, string id)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            return oma.Job(id);
        }
    }

    private static SimResponse Discover(string body, SimulatorOptions options, SimulatedInventory inventory)
    {
        var json = GoJson.Decode(body, "DiscoveryRequest", out var root, out var syntaxError);
        var vcenter = json.String(root, "vcenter");
        var datacenter = json.String(root, "datacenter");
        var username = json.String(root, "username");
        var password = json.String(root, "password");
        var filter = json.String(root, "filter");
        if ((syntaxError ?? json.TypeError) is { } error)
        {
            return SimResponse.Text(400, $"Invalid request: {error}");
        }

        const string prefix = "Discovery failed: failed to discover VMs from vCenter: ";
        if (!inventory.Knows(vcenter))
        {
            return SimResponse.Text(500, $"{prefix}failed to connect to vCenter: failed to connect to vCenter: Post \"https://{vcenter}/sdk\": dial tcp: lookup {vcenter}: no such host");
        }

        if ((options.VCenterUsername is not null && username != options.VCenterUsername) || (options.VCenterPassword is not null && password != options.VCenterPassword))
        {
            return SimResponse.Text(500, $"{prefix}failed to connect to vCenter: failed to connect to vCenter: ServerFaultCode: Login failure");
        }

        // govmomi's finder takes the datacenter as an inventory path pattern: "DC*" finds DC1 when it is the only match.
        var found = options.Datacenters.Where(dc => GovmomiPath.Matches(datacenter, dc)).ToList();
        if (found.Count == 0)
        {
            return SimResponse.Text(500, $"{prefix}failed to discover VMs: failed to find datacenter {datacenter}: datacenter '{datacenter}' not found");
        }

        if (found.Count > 1)
        {
            return SimResponse.Text(500, $"{prefix}failed to discover VMs: failed to find datacenter {datacenter}: path '{datacenter}' resolves to multiple datacenters");
        }

        // Every term counts, an empty one too ("vm001," matches every VM): it is a substring of every name.
        var terms = filter.Length == 0 ? [] : filter.Split(',').Select(t => t.Trim()).ToList();
        var vms = inventory.In(vcenter, found[0])
            .Where(vm => terms.Count == 0 || terms.Any(t => vm.Name.Contains(t, StringComparison.OrdinalIgnoreCase)))
            .Select(vm => new
            {
                id = vm.Id, name = vm.Name, path = vm.Path, datacenter, power_state = vm.PowerState, guest_os = vm.GuestOs,
                memory_mb = vm.MemoryMb, num_cpu = vm.NumCpu, cpus = 0, os_type = "", vmx_version = vm.VmxVersion,
                display_name = "", annotation = "", folder_path = "", vmware_tools_status = "", vmware_tools_version = "",
                disks = vm.Disks.Select(disk => new
                {
                    id = $"disk-{disk.Key}", label = $"Hard disk {disk.UnitNumber + 1}",
                    path = disk.IsRdm ? "" : $"[{disk.Datastore}] {disk.FileName}", vmdk_path = disk.IsRdm ? "" : $"[{disk.Datastore}] {disk.FileName}",
                    size_gb = (int)((disk.CapacityBytes + (1L << 30) - 1) >> 30), capacity_bytes = disk.CapacityBytes, datastore = disk.IsRdm ? "" : disk.Datastore,
                    provisioning_type = disk.IsRdm ? "unknown" : disk.Thin ? "thin" : "thick", unit_number = disk.UnitNumber,
                }),
                networks = vm.Nics.Select(n => new { label = n.Label, network_name = n.NetworkName, adapter_type = n.AdapterType, mac_address = n.MacAddress, connected = n.Connected, type = "" }),
            });
        return SimResponse.Ok(new { vcenter = new { host = vcenter, datacenter }, vms });
    }
}
