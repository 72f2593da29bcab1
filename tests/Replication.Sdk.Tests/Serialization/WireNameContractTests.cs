using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Replication.Sdk.Oma;
using Replication.Sdk.Serialization;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.Serialization;

/// <summary>Every wire model's JSON names, pinned to the appliance contract (shared/reference/appliance-api.md).</summary>
public sealed class WireNameContractTests
{
    public static TheoryData<string, string[]> Contract => new()
    {
        { nameof(VmInventory), ["vcenter", "vms"] },
        { nameof(VCenterInfo), ["host", "datacenter"] },
        { nameof(DiscoveredVm), ["id", "name", "path", "datacenter", "power_state", "guest_os", "memory_mb", "num_cpu", "cpus", "os_type", "vmx_version", "display_name", "annotation", "folder_path", "vmware_tools_status", "vmware_tools_version", "disks", "networks"] },
        { nameof(DiscoveredDisk), ["id", "label", "path", "vmdk_path", "size_gb", "capacity_bytes", "datastore", "provisioning_type", "unit_number"] },
        { nameof(DiscoveredNetwork), ["label", "network_name", "adapter_type", "mac_address", "connected", "type"] },
        { nameof(CreateReplicationRequest), ["source_vm", "ossea_config_id", "replication_type", "target_network", "vcenter_host", "datacenter", "change_id", "previous_change_id", "snapshot_id", "schedule_execution_id", "vm_group_id", "scheduled_by", "start_replication"] },
        { nameof(SourceDisk), ["id", "label", "path", "vmdk_path", "size_gb", "capacity_bytes", "datastore", "provisioning_type", "unit_number"] },
        { nameof(SourceNetwork), ["name", "label", "network_name", "adapter_type", "mac_address", "connected", "type"] },
        { nameof(ReplicationJob), ["job_id", "status", "progress_percent", "created_at", "updated_at", "started_at", "completed_at", "source_vm", "configuration", "disks", "mounts", "cbt_history"] },
        { nameof(ReplicationJobDisk), ["id", "disk_id", "vmdk_path", "size_gb", "sync_status", "sync_progress_percent", "bytes_synced", "change_id", "ossea_volume_id"] },
        { nameof(VmAddedToManagement), ["message", "context_id", "vm_name", "vmware_vm_id", "current_status", "created_at"] },
        { nameof(ReplicationJobStarted), ["message", "job_id", "status", "progress_percent", "source_vm", "created_volumes", "mounted_volumes", "started_at"] },
        { nameof(DeleteReplicationResult), ["message", "job_id", "deletion_tracking_id", "timestamp", "operations", "volume_deletion_warning"] },
        { nameof(DeleteOperations), ["volumes_deleted", "database_cleaned", "nbd_exports_removed"] },
        { nameof(VmContextDetails), ["context", "current_job", "job_history", "disks", "cbt_history", "last_operation"] },
        { nameof(RecentJobs), ["context_id", "jobs", "count"] },
        { nameof(RecentJob), ["job_id", "job_type", "status", "progress", "started_at", "completed_at", "display_name", "error_message", "data_source", "duration_seconds"] },
        { nameof(VmContextList), ["vm_contexts", "count"] },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public void WireNames_MatchTheContract(string model, string[] names)
    {
        var info = (JsonTypeInfo)ReplicationJsonContext.Default.GetTypeInfo(typeof(VmInventory).Assembly.GetTypes().Single(t => t.Name == model))!;
        info.Properties.Select(p => p.Name).Should().BeEquivalentTo(names);
    }

    [Fact]
    public void VmContext_HasEveryContractField()
    {
        var info = ReplicationJsonContext.Default.GetTypeInfo(typeof(VmContext))!;
        info.Properties.Select(p => p.Name).Should().Contain(
        [
            "context_id", "vm_name", "vmware_vm_id", "vm_path", "vcenter_host", "datacenter", "current_status", "current_job_id", "last_successful_job_id",
            "last_status_change", "total_jobs_run", "successful_jobs", "failed_jobs", "cpu_count", "memory_mb", "os_type", "power_state", "vm_tools_version",
            "created_at", "updated_at", "first_job_at", "last_job_at", "auto_added", "scheduler_enabled", "last_scheduled_job_id", "next_scheduled_at",
            "ossea_config_id", "credential_id", "last_operation_summary", "groups", "group_count",
        ]);
    }

    [Fact]
    public void DiscoverWireRequest_HasExactlyTheContractFields()
    {
        var json = JsonSerializer.Serialize(new VmaDiscoverWireRequest { Vcenter = "v", Username = "u", Password = "p", Datacenter = "d", Filter = "f" }, ReplicationJsonContext.Default.VmaDiscoverWireRequest);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("vcenter", "username", "password", "datacenter", "filter");
    }
}
