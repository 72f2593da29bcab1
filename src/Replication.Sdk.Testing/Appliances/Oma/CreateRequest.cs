using System.Text.Json;

namespace Replication.Sdk.Testing;

/// <summary>The fields of a create request the OMA reads, decoded as its Go struct decodes them.</summary>
internal sealed record CreateRequest
{
    public required string VmId { get; init; }

    public required string VmName { get; init; }

    public required string VmPath { get; init; }

    public required IReadOnlyList<CreateRequestDisk> Disks { get; init; }

    public required long OsseaConfigId { get; init; }

    public required string ReplicationType { get; init; }

    public required string TargetNetwork { get; init; }

    public required string VCenterHost { get; init; }

    public required string Datacenter { get; init; }

    public required bool StartReplication { get; init; }

    /// <summary>Gets the <c>source_vm</c> echo of the 201 body: the Go struct re-encoded, every key present.</summary>
    public required object SourceVm { get; init; }

    public required SimulatedContext ContextSpec { get; init; }

    public static CreateRequest Read(GoJson json, JsonElement root, SimulatorOptions options)
    {
        var vm = json.Object(root, "source_vm");
        const string vmField = "source_vm";
        var disks = json.Array(vm, "disks", vmField).Select(d => new CreateRequestDisk(
            json.String(d, "id", "source_vm.disks"), json.String(d, "path", "source_vm.disks"), json.Int(d, "size_gb", "source_vm.disks"),
            json.Int(d, "capacity_bytes", "source_vm.disks", "int64"), json.String(d, "datastore", "source_vm.disks"), json.String(d, "label", "source_vm.disks"),
            json.String(d, "provisioning_type", "source_vm.disks"), json.String(d, "vmdk_path", "source_vm.disks"), json.Int(d, "unit_number", "source_vm.disks"))).ToList();
        var networks = json.Array(vm, "networks", vmField).Select(n => new
        {
            name = json.String(n, "name", "source_vm.networks"), label = json.String(n, "label", "source_vm.networks"),
            network_name = json.String(n, "network_name", "source_vm.networks"), adapter_type = json.String(n, "adapter_type", "source_vm.networks"),
            mac_address = json.String(n, "mac_address", "source_vm.networks"), connected = json.Bool(n, "connected", "source_vm.networks") ?? false,
            type = json.String(n, "type", "source_vm.networks"),
        }).ToList();
        var id = json.String(vm, "id", vmField);
        var name = json.String(vm, "name", vmField);
        var path = json.String(vm, "path", vmField);
        var cpus = (int)json.Int(vm, "cpus", vmField);
        var memory = (int)json.Int(vm, "memory_mb", vmField);
        var osType = json.String(vm, "os_type", vmField);
        var power = json.String(vm, "power_state", vmField);
        var tools = json.String(vm, "vmware_tools_version", vmField);
        var vcenter = json.String(root, "vcenter_host") is { Length: > 0 } host ? host : options.OmaDefaultVCenterHost;
        var datacenter = json.String(root, "datacenter") is { Length: > 0 } dc ? dc : options.OmaDefaultDatacenter;
        var config = json.Int(root, "ossea_config_id");
        var echo = new
        {
            id, name, path, vcenter_host = json.String(vm, "vcenter_host", vmField), datacenter = json.String(vm, "datacenter", vmField),
            cpus, memory_mb = memory, os_type = osType, power_state = power, display_name = json.String(vm, "display_name", vmField),
            annotation = json.String(vm, "annotation", vmField), vmware_tools_version = tools,
            disks = disks.Select(d => new
            {
                id = d.Id, path = d.Path, vmdk_path = d.VmdkPath, size_gb = d.SizeGb, capacity_bytes = d.CapacityBytes, datastore = d.Datastore,
                label = d.Label, provisioning_type = d.ProvisioningType, unit_number = d.UnitNumber,
            }).ToList(),
            networks,
        };
        return new CreateRequest
        {
            VmId = id, VmName = name, VmPath = path, Disks = disks, OsseaConfigId = config,
            ReplicationType = json.String(root, "replication_type"), TargetNetwork = json.String(root, "target_network"),
            VCenterHost = vcenter, Datacenter = datacenter, StartReplication = json.Bool(root, "start_replication") ?? true, SourceVm = echo,
            ContextSpec = new SimulatedContext
            {
                ContextId = "", VmName = name, VmwareVmId = id, VmPath = path, VCenterHost = vcenter, Datacenter = datacenter,
                CpuCount = cpus, MemoryMb = memory, OsType = osType, PowerState = power, VmToolsVersion = tools, OsseaConfigId = (int)config,
            },
        };
    }

    /// <summary>The replication type the OMA runs: <c>""</c> is resolved from the change ids it holds for the VM path; other strings are kept verbatim.</summary>
    public string ResolvedType(string? changeId) => ReplicationType.Length > 0 ? ReplicationType : changeId is not null ? "incremental" : "initial";

    /// <summary>The job row's fields.</summary>
    public SimulatedJob Job(string body, SimulatedContext context, string type) => new("", context.VmName, context.VmwareVmId, context.VCenterHost, default, "initializing", body)
    {
        VmPath = VmPath, Datacenter = Datacenter, OsseaConfigId = OsseaConfigId, TargetNetwork = TargetNetwork, ReplicationType = type,
        Disks = [.. Disks.Select(d => new SimulatedJobDisk(d.Id, d.Path, d.SizeGb, d.CapacityBytes, null))],
    };
}

/// <summary>A disk of a create request.</summary>
internal sealed record CreateRequestDisk(string Id, string Path, long SizeGb, long CapacityBytes, string Datastore, string Label, string ProvisioningType, string VmdkPath, long UnitNumber);
