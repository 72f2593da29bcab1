using System.Globalization;

namespace Replication.Sdk.Oma;

/// <summary>
/// The client-side checks of §3.2: requests the OMA would accept but that leave the VM blocked (a job row with no
/// disks, an RDM disk, a zero-sized volume) or that it would reject after the job row exists.
/// </summary>
internal static class CreateRequestPreconditions
{
    public static void Check(CreateReplicationRequest request)
    {
        var problems = Problems(request).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The replication request cannot be sent: {string.Join("; ", problems)}.", nameof(request));
        }
    }

    public static IEnumerable<string> Problems(CreateReplicationRequest request)
    {
        var vm = request.SourceVm;
        if (vm is null)
        {
            yield return "source_vm is missing";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(vm.Id))
        {
            yield return "source_vm.id is empty";
        }

        if (string.IsNullOrWhiteSpace(vm.Name))
        {
            yield return "source_vm.name is empty";
        }

        if (string.IsNullOrWhiteSpace(vm.Path))
        {
            yield return "source_vm.path is empty";
        }

        if (request.OsseaConfigId <= 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"ossea_config_id must be positive (was {request.OsseaConfigId})");
        }

        if (request.ReplicationType is not ("" or "initial" or "incremental"))
        {
            yield return $"replication_type must be \"\", \"initial\" or \"incremental\" (was \"{request.ReplicationType}\")";
        }

        if (string.IsNullOrWhiteSpace(request.VcenterHost))
        {
            yield return "vcenter_host is empty (the OMA would use a hard-coded host)";
        }

        if (string.IsNullOrWhiteSpace(request.Datacenter))
        {
            yield return "datacenter is empty (the OMA would use a hard-coded datacenter)";
        }

        if (request.StartReplication && vm.Disks.Count == 0)
        {
            yield return "source_vm has no disks";
        }

        for (var i = 0; i < vm.Disks.Count; i++)
        {
            var disk = vm.Disks[i];
            var label = string.IsNullOrEmpty(disk.Label) ? disk.Id : disk.Label;
            if (string.IsNullOrWhiteSpace(disk.Path))
            {
                yield return $"disk {i} ('{label}') has no path (RDM or SeSparse disks cannot be replicated)";
            }

            if (disk.CapacityBytes <= 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"disk {i} ('{label}') has capacity_bytes {disk.CapacityBytes}");
            }
        }
    }
}
