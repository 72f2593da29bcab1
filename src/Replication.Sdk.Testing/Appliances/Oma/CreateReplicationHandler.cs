using System.Text.Json;

namespace Replication.Sdk.Testing;

/// <summary>
/// <c>POST /api/v1/replications</c> in the real handler's order: decode, the 400 checks, the 409 checks on the context
/// (not locked against a concurrent create), then the synchronous workflow. The job row and <c>current_job_id</c> exist
/// from the workflow's first step and are never rolled back; the setup statuses follow one another while the call runs,
/// and the transfer (<c>replicating</c>) starts when it returns.
/// </summary>
internal sealed class CreateReplicationHandler(SimulatorOptions options, OmaState oma, CreateRace race)
{
    private static readonly string[] SetupSteps = ["analyzing", "provisioning", "attaching", "configuring", "ready_for_sync", "replicating"];

    private DateTimeOffset Local => options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset);

    public async Task<SimResponse> HandleAsync(SimRequest request)
    {
        var decoder = GoJson.Decode(request.Body, "CreateMigrationRequest", out var root, out var syntaxError);
        var create = CreateRequest.Read(decoder, root, options);
        if ((syntaxError ?? decoder.TypeError) is { } decodeError)
        {
            return SimResponse.OmaError(400, "Invalid request payload", decodeError, Local);
        }

        if (create.VmId.Length == 0 || create.VmName.Length == 0 || create.VmPath.Length == 0)
        {
            return SimResponse.OmaError(400, "Source VM information is required", "Missing VM ID, name, or path", Local);
        }

        if (create.OsseaConfigId == 0)
        {
            return SimResponse.OmaError(400, "OSSEA configuration ID is required", "Must specify target OSSEA configuration", Local);
        }

        if (Check(create) is { } refused)
        {
            return refused;
        }

        if (request.Faults.FirstOrDefault(f => f.Kind == FaultKind.CreateRace) is { } raceRule)
        {
            await race.WaitForPartnerAsync(create.VmId, raceRule.Latency, request.Stopping).ConfigureAwait(false);
        }
        else
        {
            race.Passed(create.VmId);
        }

        var step = (options.CreateDuration + request.Latency) / SetupSteps.Length;
        var wait = Wait(step, request.Stopping);
        SimulatedJob job;
        string type;
        bool configured;
        lock (oma.Sync)
        {
            if (!create.StartReplication)
            {
                var added = oma.AddContext(create.ContextSpec);
                return SimResponse.Ok(new
                {
                    context_id = added.ContextId, vm_name = create.VmName, vmware_vm_id = create.VmId, current_status = "discovered",
                    message = "VM added to management successfully", created_at = GoTime.Seconds(added.CreatedAt),
                }, 201);
            }

            type = create.ResolvedType(oma.ChangeIdFor(create.VmPath));
            configured = options.OsseaConfigIds.Contains((int)create.OsseaConfigId);
            if (type == "initial" && !configured)
            {
                return SimResponse.OmaError(400, "Cannot start initial replication - CloudStack prerequisites not met",
                    $"OSSEA configuration {create.OsseaConfigId} is not usable:\n- appliance VM id is not set\n- disk offering is not set\n- zone is not set\nConfigure the target cloud before replicating.", Local);
            }

            var known = oma.ContextByVmwareId(create.VmId);
            if (known is not null && !string.Equals(known.VmName, create.VmName, StringComparison.OrdinalIgnoreCase))
            {
                // A renamed VM: the OMA looks its context up by name, finds none, and its insert hits the unique key.
                return SimResponse.OmaError(500, "Failed to start migration workflow",
                    $"failed to create VM context: Error 1062 (23000): Duplicate entry '{create.VmId}-{create.VCenterHost}' for key 'unique_vm_per_vcenter'", Local);
            }

            var context = known ?? oma.ContextByName(create.VmName) ?? oma.AddContext(create.ContextSpec);
            job = oma.AddJob(context, create.Job(request.Body, context, type));
        }

        if (!configured)
        {
            return SimResponse.OmaError(500, "Failed to start migration workflow", $"failed to get OSSEA config {create.OsseaConfigId}: record not found", Local);
        }

        if (create.Disks.Count == 0)
        {
            return SimResponse.OmaError(500, "Failed to start migration workflow", "source VM has no disks to migrate", Local);
        }

        if (create.Disks.Any(d => d.Path.Length == 0))
        {
            return SimResponse.OmaError(500, "Failed to start migration workflow", "failed to prepare volume: empty VMDK path", Local);
        }

        // The provisioning work takes its time inside the call: the job is visible, and its status moves, while the client
        // waits. Each step's wait is armed before the status it follows is written, so a test that saw the status can advance a fake clock.
        foreach (var status in SetupSteps)
        {
            await wait.ConfigureAwait(false);
            wait = status == SetupSteps[^1] ? Task.CompletedTask : Wait(step, request.Stopping);
            oma.Advance(job.Id, status);
            if (status == "provisioning" && request.Has(FaultKind.WorkflowFailure))
            {
                return SimResponse.OmaError(500, "Failed to start migration workflow", "failed to provision volumes: CloudStack API error 530: simulated failure", Local);
            }
        }

        return SimResponse.Ok(new
        {
            job_id = job.Id, status = "replicating", progress_percent = 0, source_vm = create.SourceVm,
            created_volumes = job.Disks.Select((d, i) => new
            {
                volume_id = d.VolumeId, name = $"migration-{create.VmName}-{create.VmPath[(create.VmPath.LastIndexOf('/') + 1)..]}-disk-{i}", size_gb = d.SizeGb,
                status = job.ReplicationType == "incremental" ? "reused" : "created",
            }),
            mounted_volumes = job.Disks.Select(d => new { device_path = d.DevicePath, mount_point = "raw-block-device", status = "attached" }),
            started_at = GoTime.Format(Local), message = "Migration workflow started successfully - volumes created and mounted automatically",
        }, 201);
    }

    private Task Wait(TimeSpan step, CancellationToken cancellationToken) =>
        step > TimeSpan.Zero ? Task.Delay(step, options.TimeProvider, cancellationToken) : Task.CompletedTask;

    /// <summary>The 409 checks: a read of the context, released before the insert (the window <see cref="CreateRace"/> opens).</summary>
    private SimResponse? Check(CreateRequest create)
    {
        lock (oma.Sync)
        {
            oma.Settle();
            var context = oma.ContextByVmwareId(create.VmId);
            if (context is not null && !create.StartReplication)
            {
                return SimResponse.OmaError(409, "VM already exists in management", $"VM '{create.VmName}' ({create.VmId}) is already managed with context ID: {context.ContextId}", Local);
            }

            if (context is not null && !string.IsNullOrEmpty(context.CurrentJobId))
            {
                return SimResponse.OmaError(409, "VM has active replication job", $"VM '{create.VmName}' ({create.VmId}) already has active job: {context.CurrentJobId}", Local);
            }

            return null;
        }
    }
}
