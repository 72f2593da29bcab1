using System.Net;
using System.Text;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>Contract fixtures: the real VMA captures (copied from shared/fixtures/vma-real) and OMA bodies from the reference.</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>Reads a captured <c>.txt</c> answer (status line, headers, blank line, body) into a response.</summary>
    public static HttpResponseMessage CapturedResponse(string name)
    {
        var text = Read(name).Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = text[..split].Split('\n');
        var body = text[(split + 2)..];
        var status = (HttpStatusCode)int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = head.Skip(1).Select(h => h.Split(':', 2)).FirstOrDefault(h => h[0].Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return response;
    }

    public static string CapturedBody(string name)
    {
        var text = Read(name).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }

    public const string JobStarted = """
        { "job_id": "job-20250919-171928.123-a1b2c3", "status": "replicating", "progress_percent": 0,
          "source_vm": { "id": "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e", "name": "web01", "path": "/DC1/vm/Prod/web01", "datacenter": "DC1",
                         "cpus": 4, "memory_mb": 8192, "os_type": "linux", "power_state": "poweredOn", "disks": [], "networks": [] },
          "created_volumes": [ { "volume_id": "0f0e0d0c-0000-4000-8000-000000000001", "volume_name": "web01-disk-0", "size_gb": 45, "status": "created" } ],
          "mounted_volumes": [ { "device_path": "/dev/vdc", "mount_point": "", "status": "attached" } ],
          "started_at": "2025-09-19T17:19:28.1234+01:00",
          "message": "Migration workflow started successfully - volumes created and mounted automatically" }
        """;

    public const string VmAdded = """
        { "context_id": "ctx-web01-20250919-171928", "vm_name": "web01", "vmware_vm_id": "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e",
          "current_status": "discovered", "message": "VM added to management successfully",
          "created_at": "2025-09-19T17:19:28+01:00" }
        """;

    public static string Job(string id, string status = "replicating", string createdAt = "2025-09-19T16:19:28.123456789Z") => $$"""
        { "job_id": "{{id}}", "status": "{{status}}", "progress_percent": 42.5,
          "created_at": "{{createdAt}}", "updated_at": "2025-09-19T17:20:00.5+01:00", "started_at": null, "completed_at": null,
          "source_vm": { "id": "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e", "name": "web01", "path": "/DC1/vm/Prod/web01", "vcenter_host": "vcenter.example.local", "datacenter": "DC1" },
          "configuration": { "replication_type": "initial", "target_network": "net-a", "ossea_config_id": 7 },
          "disks": [ { "id": 11, "disk_id": "disk-2000", "vmdk_path": "[datastore1] web01/web01.vmdk", "size_gb": 40, "sync_status": "syncing",
                       "sync_progress_percent": 42.5, "bytes_synced": 18253611008, "change_id": "", "ossea_volume_id": 5 } ],
          "mounts": [ { "id": 3, "ossea_volume_id": 5, "device_path": "/dev/vdc", "mount_point": "", "mount_status": "attached", "filesystem_type": "", "mounted_at": "2025-09-19T17:19:30Z" } ],
          "cbt_history": [ { "id": 1, "disk_id": "disk-2000", "change_id": "52 3c…/4", "sync_type": "full", "sync_success": true, "blocks_changed": 100,
                             "bytes_transferred": 4096, "sync_duration_seconds": 30, "created_at": "2025-09-18T10:00:00Z" } ],
          "a_field_from_a_newer_build": { "x": 1 } }
        """;

    public static string Context(string vmName = "web01", string? currentJobId = "job-1", string status = "replicating") => $$"""
        { "context_id": "ctx-{{vmName}}-20250919-171928", "vm_name": "{{vmName}}", "vmware_vm_id": "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e",
          "vm_path": "/DC1/vm/Prod/{{vmName}}", "vcenter_host": "vcenter.example.local", "datacenter": "DC1",
          "current_status": "{{status}}", "current_job_id": {{(currentJobId is null ? "null" : $"\"{currentJobId}\"")}}, "last_successful_job_id": null,
          "last_status_change": "2025-09-19T17:19:28+01:00", "total_jobs_run": 3, "successful_jobs": 2, "failed_jobs": 1,
          "cpu_count": 4, "memory_mb": 8192, "os_type": "linux", "power_state": "poweredOn", "vm_tools_version": "vmx-15",
          "created_at": "2025-09-01T00:00:00Z", "updated_at": "2025-09-19T17:19:28Z", "first_job_at": "2025-09-02T00:00:00Z", "last_job_at": null,
          "auto_added": true, "scheduler_enabled": false, "last_scheduled_job_id": null, "next_scheduled_at": null,
          "ossea_config_id": 7, "credential_id": null, "last_operation_summary": { "op": "replication" } }
        """;

    public static string Login(DateTimeOffset expiresAt, string token = "session-token-1") =>
        $$"""{"success": true, "session_token": "{{token}}", "expires_at": "{{expiresAt:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}}"}""";
}
