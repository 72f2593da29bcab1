using System.Globalization;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>
/// The pure part of the builder: settings, VM selection, validation, mapping and drift. No I/O, so every rule is testable
/// on a fixture inventory.
/// </summary>
internal static class JobPlanner
{
    private static readonly string[] FallbackNetworkPrefixes = ["ERROR-", "STD-REF-", "DVS-", "NSX-"];

    public static ResolvedSettings ResolveSettings(ReplicationTarget target, ReplicationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(target.VmName))
        {
            problems.Add("the target has no VM name");
        }

        if (string.IsNullOrWhiteSpace(target.VCenterHost))
        {
            problems.Add("the target has no vCenter host");
        }

        if (string.IsNullOrWhiteSpace(target.Datacenter))
        {
            problems.Add("the target has no datacenter");
        }

        var s = target.Settings ?? new ReplicationJobSettings();
        var configId = s.OsseaConfigId ?? options.OsseaConfigId;
        if (configId is null)
        {
            problems.Add("no OSSEA configuration id: set Replication:Jobs:OsseaConfigId or the target's Settings.OsseaConfigId");
        }
        else if (configId <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the OSSEA configuration id must be positive (was {configId})"));
        }

        var network = s.TargetNetwork ?? options.TargetNetwork;
        if (string.IsNullOrWhiteSpace(network))
        {
            problems.Add("no target network: set Replication:Jobs:TargetNetwork or the target's Settings.TargetNetwork");
        }

        var type = s.ReplicationType ?? options.ReplicationType;
        if (!Enum.IsDefined(type))
        {
            problems.Add($"unknown replication type '{type}'");
        }

        if (problems.Count > 0)
        {
            throw new ReplicationJobValidationException(target.VmName ?? "", problems);
        }

        return new ResolvedSettings(configId!.Value, network!, type, s.IdentityChangePolicy ?? options.IdentityChangePolicy,
            s.ScheduleExecutionId, s.VmGroupId, s.ScheduledBy, s.StartReplication ?? true);
    }

    public static ReplicationJobPlan Plan(ReplicationTarget target, ResolvedSettings settings, VmInventory inventory, DateTimeOffset discoveredAt)
    {
        var warnings = new List<string>();
        var vm = Select(target, inventory, settings.IdentityChangePolicy, warnings);
        Validate(target, vm);
        warnings.AddRange(vm.Networks
            .Where(n => FallbackNetworkPrefixes.Any(p => n.NetworkName.StartsWith(p, StringComparison.Ordinal)))
            .Select(n => $"network adapter '{n.Label}' has no resolvable port group ('{n.NetworkName}'); it is sent as the VMA reported it"));

        return new ReplicationJobPlan
        {
            Target = target,
            Request = Map(target, settings, vm),
            Vm = vm,
            DiscoveredAt = discoveredAt,
            Drift = Drift(target, vm),
            Warnings = warnings,
        };
    }

    /// <summary>Wire replication type: auto → "", full → "initial", incremental → "incremental".</summary>
    public static string ToWire(ReplicationType type) => type switch
    {
        ReplicationType.Full => "initial",
        ReplicationType.Incremental => "incremental",
        _ => "",
    };

    private static DiscoveredVm Select(ReplicationTarget target, VmInventory inventory, IdentityChangePolicy policy, List<string> warnings)
    {
        var vms = inventory.Vms;
        if (!string.IsNullOrEmpty(target.VmwareVmId))
        {
            var byId = vms.Where(v => string.Equals(v.Id, target.VmwareVmId, StringComparison.OrdinalIgnoreCase)).ToList();
            if (byId.Count > 1)
            {
                throw new VmAmbiguousException(target.VmName, Describe(byId));
            }

            if (byId.Count == 1)
            {
                if (!string.Equals(byId[0].Name, target.VmName, StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"VM {target.VmwareVmId} is now named '{byId[0].Name}' (recorded as '{target.VmName}')");
                }

                return byId[0];
            }
        }

        var byName = vms.Where(v => string.Equals(v.Name, target.VmName, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count > 1 && !string.IsNullOrEmpty(target.VmPath))
        {
            var byPath = byName.Where(v => string.Equals(v.Path, target.VmPath, StringComparison.OrdinalIgnoreCase)).ToList();
            if (byPath.Count > 0)
            {
                byName = byPath;
            }
        }

        if (byName.Count == 0)
        {
            var near = vms
                .Where(v => v.Name.Contains(target.VmName, StringComparison.OrdinalIgnoreCase) || target.VmName.Contains(v.Name, StringComparison.OrdinalIgnoreCase))
                .Select(v => v.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(10).ToList();
            throw new VmNotFoundException(target.VmName, target.VCenterHost, target.Datacenter, near);
        }

        if (byName.Count > 1)
        {
            throw new VmAmbiguousException(target.VmName, Describe(byName));
        }

        var vm = byName[0];
        if (!string.IsNullOrEmpty(target.VmwareVmId))
        {
            if (policy == IdentityChangePolicy.Fail)
            {
                throw new VmIdentityChangedException(target.VmName, target.VmwareVmId, vm.Id);
            }

            warnings.Add($"VM '{vm.Name}' was replaced: VMware id '{vm.Id}' instead of the recorded '{target.VmwareVmId}'");
        }

        return vm;
    }

    private static List<string> Describe(IEnumerable<DiscoveredVm> vms) =>
        [.. vms.Select(v => $"{v.Name} ({v.Id}) at {v.Path}").Order(StringComparer.Ordinal)];

    private static void Validate(ReplicationTarget target, DiscoveredVm vm)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(vm.Id) || string.IsNullOrWhiteSpace(vm.Name) || string.IsNullOrWhiteSpace(vm.Path))
        {
            problems.Add("the discovered VM has an empty id, name or path");
        }

        if (vm.NumCpu <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"num_cpu is {vm.NumCpu}"));
        }

        if (vm.MemoryMb <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"memory_mb is {vm.MemoryMb}"));
        }

        if (vm.Disks.Count == 0)
        {
            problems.Add("the VM has no disks");
        }

        foreach (var disk in vm.Disks)
        {
            var name = string.IsNullOrEmpty(disk.Label) ? disk.Id : $"'{disk.Label}' ({disk.Id})";
            if (string.IsNullOrWhiteSpace(disk.Path))
            {
                problems.Add($"disk {name} has no backing path: RDM and SeSparse disks cannot be replicated");
            }

            if (disk.CapacityBytes <= 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"disk {name} has capacity_bytes {disk.CapacityBytes}"));
            }
        }

        if (problems.Count > 0)
        {
            throw new ReplicationJobValidationException(target.VmName, problems);
        }
    }

    private static CreateReplicationRequest Map(ReplicationTarget target, ResolvedSettings settings, DiscoveredVm vm) => new()
    {
        SourceVm = new SourceVm
        {
            Id = vm.Id,
            Name = vm.Name,
            Path = vm.Path,
            Datacenter = string.IsNullOrEmpty(vm.Datacenter) ? target.Datacenter : vm.Datacenter,
            PowerState = vm.PowerState,
            OsType = vm.GuestOs,          // never the VMA's os_type, which is always ""
            MemoryMb = vm.MemoryMb,
            Cpus = vm.NumCpu,             // never the VMA's cpus, which is always 0
            VmxVersion = vm.VmxVersion,
            DisplayName = vm.DisplayName,
            Annotation = vm.Annotation,
            FolderPath = vm.FolderPath,
            VmwareToolsStatus = vm.VmwareToolsStatus,
            VmwareToolsVersion = vm.VmwareToolsVersion,
            // Discovery order is kept: the position is the disk index on the OMA.
            Disks = [.. vm.Disks.Select(d => new SourceDisk
            {
                Id = d.Id,
                Label = d.Label,
                Path = d.Path,
                VmdkPath = d.VmdkPath,
                SizeGb = d.SizeGb,
                CapacityBytes = d.CapacityBytes,
                Datastore = d.Datastore,
                ProvisioningType = d.ProvisioningType,
                UnitNumber = d.UnitNumber,
            })],
            Networks = [.. vm.Networks.Select(n => new SourceNetwork
            {
                Name = "",
                Label = n.Label,
                NetworkName = n.NetworkName,
                AdapterType = n.AdapterType,
                MacAddress = n.MacAddress,
                Connected = n.Connected,
                Type = n.Type,
            })],
        },
        OsseaConfigId = settings.OsseaConfigId,
        ReplicationType = ToWire(settings.ReplicationType),
        TargetNetwork = settings.TargetNetwork,
        VcenterHost = target.VCenterHost,
        Datacenter = target.Datacenter,
        ScheduleExecutionId = settings.ScheduleExecutionId,
        VmGroupId = settings.VmGroupId,
        ScheduledBy = settings.ScheduledBy,
        StartReplication = settings.StartReplication,
    };

    private static DriftReport Drift(ReplicationTarget target, DiscoveredVm vm)
    {
        var changes = new List<DriftChange>();
        var stored = target.StoredSpec;
        var recordedId = stored?.VmwareVmId ?? target.VmwareVmId;
        if (!string.IsNullOrEmpty(recordedId) && !string.Equals(recordedId, vm.Id, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add(new DriftChange(DriftKind.IdentityChanged, vm.Name, recordedId, vm.Id));
        }

        if (stored is null)
        {
            return changes.Count == 0 ? DriftReport.None : new DriftReport { Changes = changes };
        }

        Compare(DriftKind.PathChanged, stored.Path, vm.Path);
        Compare(DriftKind.CpuChanged, stored.CpuCount?.ToString(CultureInfo.InvariantCulture), vm.NumCpu.ToString(CultureInfo.InvariantCulture));
        Compare(DriftKind.MemoryChanged, stored.MemoryMb?.ToString(CultureInfo.InvariantCulture), vm.MemoryMb.ToString(CultureInfo.InvariantCulture));
        Compare(DriftKind.PowerStateChanged, stored.PowerState, vm.PowerState);
        Compare(DriftKind.OsChanged, stored.OsType, vm.GuestOs);

        if (stored.Disks is { } disks)
        {
            var now = vm.Disks.ToDictionary(d => d.Id, StringComparer.Ordinal);
            var before = disks.ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var d in vm.Disks.Where(d => !before.ContainsKey(d.Id)))
            {
                changes.Add(new DriftChange(DriftKind.DiskAdded, d.Id, null, $"{d.Path} ({Bytes(d.CapacityBytes)})"));
            }

            foreach (var d in disks.Where(d => !now.ContainsKey(d.Id)))
            {
                changes.Add(new DriftChange(DriftKind.DiskRemoved, d.Id, $"{d.Path} ({Bytes(d.CapacityBytes)})", null));
            }

            foreach (var d in disks.Where(d => now.ContainsKey(d.Id)))
            {
                var current = now[d.Id];
                if (d.CapacityBytes != current.CapacityBytes)
                {
                    changes.Add(new DriftChange(DriftKind.DiskResized, d.Id, Bytes(d.CapacityBytes), Bytes(current.CapacityBytes)));
                }

                if (d.Path is not null && !string.Equals(d.Path, current.Path, StringComparison.Ordinal))
                {
                    changes.Add(new DriftChange(DriftKind.DiskRepathed, d.Id, d.Path, current.Path));
                }
            }
        }

        if (stored.Networks is { } networks)
        {
            var now = vm.Networks.GroupBy(n => n.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var before = networks.GroupBy(n => n.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var n in now.Values.Where(n => !before.ContainsKey(n.Label)))
            {
                changes.Add(new DriftChange(DriftKind.NetworkAdded, n.Label, null, n.NetworkName));
            }

            foreach (var n in before.Values.Where(n => !now.ContainsKey(n.Label)))
            {
                changes.Add(new DriftChange(DriftKind.NetworkRemoved, n.Label, n.NetworkName, null));
            }

            foreach (var n in before.Values.Where(n => now.ContainsKey(n.Label) && n.NetworkName is not null))
            {
                if (!string.Equals(n.NetworkName, now[n.Label].NetworkName, StringComparison.Ordinal))
                {
                    changes.Add(new DriftChange(DriftKind.NetworkRemapped, n.Label, n.NetworkName, now[n.Label].NetworkName));
                }
            }
        }

        return changes.Count == 0
            ? DriftReport.None
            : new DriftReport { Changes = [.. changes.OrderBy(c => c.Kind).ThenBy(c => c.Subject, StringComparer.Ordinal)] };

        void Compare(DriftKind kind, string? before, string after)
        {
            if (before is not null && !string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new DriftChange(kind, vm.Name, before, after));
            }
        }
    }

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture) + " bytes";
}

/// <summary>Target settings merged with the options.</summary>
internal sealed record ResolvedSettings(
    int OsseaConfigId,
    string TargetNetwork,
    ReplicationType ReplicationType,
    IdentityChangePolicy IdentityChangePolicy,
    string? ScheduleExecutionId,
    string? VmGroupId,
    string? ScheduledBy,
    bool StartReplication);
