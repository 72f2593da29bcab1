namespace Replication.Sdk.Testing;

/// <summary>The OMA's JSON bodies for jobs and contexts: job times in milliseconds, context times in whole seconds, both in the OMA's offset.</summary>
internal static class OmaViews
{
    /// <summary>The body of <c>GET /api/v1/replications/{id}</c>; disk rows only for the VM's newest job.</summary>
    public static Dictionary<string, object?> JobStatus(SimulatedJob job, bool newest, SimulatorOptions options)
    {
        var disks = newest ? job.Disks : [];
        var body = new Dictionary<string, object?>
        {
            ["job_id"] = job.Id, ["status"] = job.Status, ["progress_percent"] = job.ProgressPercent,
            ["created_at"] = GoTime.Milliseconds(job.CreatedAt), ["updated_at"] = GoTime.Milliseconds(job.UpdatedAt),
        };
        if (job.CompletedAt is { } completed)
        {
            body["completed_at"] = GoTime.Milliseconds(completed);
        }

        body["source_vm"] = new { id = job.VmwareVmId, name = job.VmName, path = job.VmPath, vcenter_host = job.VCenterHost, datacenter = job.Datacenter };
        body["configuration"] = new { replication_type = job.ReplicationType, target_network = job.TargetNetwork, ossea_config_id = job.OsseaConfigId };
        body["disks"] = disks.Select(d => DiskRow(job, d)).ToList();
        body["mounts"] = disks.Select(d => new
        {
            id = d.RowId, ossea_volume_id = d.RowId, device_path = d.DevicePath, mount_point = "raw-block-device", mount_status = "mounted",
            filesystem_type = "", mounted_at = GoTime.Milliseconds(job.CreatedAt),
        }).ToList();
        body["cbt_history"] = newest ? CbtHistory(job, options) : [];
        return body;
    }

    public static object DiskRow(SimulatedJob job, SimulatedJobDisk d) => new
    {
        id = d.RowId, disk_id = d.DiskId, vmdk_path = d.VmdkPath, size_gb = d.SizeGb,
        sync_status = job.Status switch { "completed" => "completed", "failed" => "failed", "replicating" => "syncing", _ => "pending" },
        sync_progress_percent = job.ProgressPercent, bytes_synced = (long)(d.CapacityBytes * job.ProgressPercent / 100), change_id = d.ChangeId ?? "",
        ossea_volume_id = d.RowId,
    };

    public static List<object> CbtHistory(SimulatedJob job, SimulatorOptions options) => job.Status != "completed" ? [] :
        [.. job.Disks.Select(d => (object)new
        {
            id = d.RowId, disk_id = d.DiskId, change_id = d.ChangeId, sync_type = job.ReplicationType == "incremental" ? "incremental" : "full", sync_success = true,
            blocks_changed = d.CapacityBytes / (1 << 20), bytes_transferred = d.CapacityBytes, sync_duration_seconds = (long)options.JobDuration.TotalSeconds,
            created_at = GoTime.Milliseconds(job.CompletedAt!.Value),
        })];

    /// <summary>A <c>replication_jobs</c> row as the vm-context routes return it.</summary>
    public static object JobRow(SimulatedJob j) => new
    {
        id = j.Id, source_vm_id = j.VmwareVmId, source_vm_name = j.VmName, source_vm_path = j.VmPath, vcenter_host = j.VCenterHost, datacenter = j.Datacenter,
        replication_type = j.ReplicationType, target_network = j.TargetNetwork, status = j.Status, progress_percent = j.ProgressPercent,
        current_operation = j.Status, bytes_transferred = j.Disks.Sum(d => (long)(d.CapacityBytes * j.ProgressPercent / 100)), total_bytes = j.Disks.Sum(d => d.CapacityBytes),
        transfer_speed_bps = 0, error_message = j.ErrorMessage ?? "", change_id = "", previous_change_id = "", snapshot_id = "", nbd_port = 10809,
        nbd_export_name = $"migration-{j.Id}", target_device = j.Disks.Count > 0 ? j.Disks[0].DevicePath : "", ossea_config_id = j.OsseaConfigId,
        vm_context_id = j.ContextId, schedule_execution_id = (string?)null, vm_group_id = (string?)null, scheduled_by = (string?)null,
        created_at = GoTime.Milliseconds(j.CreatedAt), updated_at = GoTime.Milliseconds(j.UpdatedAt), started_at = (string?)null,
        completed_at = j.CompletedAt is { } c ? GoTime.Milliseconds(c) : null,
    };

    /// <summary>A <c>vm_replication_contexts</c> row, every column.</summary>
    public static Dictionary<string, object?> Context(SimulatedContext c) => new()
    {
        ["context_id"] = c.ContextId, ["vm_name"] = c.VmName, ["vmware_vm_id"] = c.VmwareVmId, ["vm_path"] = c.VmPath, ["vcenter_host"] = c.VCenterHost,
        ["datacenter"] = c.Datacenter, ["current_status"] = c.CurrentStatus, ["current_job_id"] = c.CurrentJobId, ["total_jobs_run"] = c.TotalJobsRun,
        ["successful_jobs"] = c.SuccessfulJobs, ["failed_jobs"] = c.FailedJobs, ["last_successful_job_id"] = c.LastSuccessfulJobId,
        ["cpu_count"] = c.CpuCount, ["memory_mb"] = c.MemoryMb, ["os_type"] = c.OsType, ["power_state"] = c.PowerState, ["vm_tools_version"] = c.VmToolsVersion,
        ["created_at"] = GoTime.Seconds(c.CreatedAt), ["updated_at"] = GoTime.Seconds(c.UpdatedAt), ["first_job_at"] = Seconds(c.FirstJobAt),
        ["last_job_at"] = Seconds(c.LastJobAt), ["last_status_change"] = Seconds(c.LastStatusChange), ["auto_added"] = false,
        ["scheduler_enabled"] = c.SchedulerEnabled, ["last_scheduled_job_id"] = null, ["next_scheduled_at"] = null, ["ossea_config_id"] = c.OsseaConfigId,
        ["credential_id"] = null, ["last_operation_summary"] = null,
    };

    /// <summary>An item of <c>recent-jobs</c>: the OMA's unified job view, not a job row.</summary>
    public static Dictionary<string, object?> RecentJob(SimulatedJob j)
    {
        var item = new Dictionary<string, object?>
        {
            ["job_id"] = j.Id, ["job_type"] = "replication", ["status"] = j.Status, ["progress"] = j.ProgressPercent,
            ["started_at"] = GoTime.Milliseconds(j.CreatedAt), ["completed_at"] = j.CompletedAt is { } c ? GoTime.Milliseconds(c) : null,
            ["display_name"] = j.VmName,
        };
        if (j.ErrorMessage is { } error)
        {
            item["error_message"] = error;
        }

        item["data_source"] = "replication_jobs";
        item["duration_seconds"] = j.CompletedAt is { } end ? (long)(end - j.CreatedAt).TotalSeconds : 0;
        return item;
    }

    private static string? Seconds(DateTimeOffset? value) => value is { } v ? GoTime.Seconds(v) : null;
}
