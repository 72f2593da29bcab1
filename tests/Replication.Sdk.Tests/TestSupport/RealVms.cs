using Replication.Sdk.Jobs;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>A VM of the real VMA capture <c>vma-real/extra-discover-all.json</c>, as a submission target.</summary>
internal static class RealVms
{
    public const string WebLinux01 = "web-linux-01";
    public const string WebLinux01Id = "cb045add-5c8d-5911-a2ba-1d84ed2430b9";

    public static ReplicationTarget WebLinux01Target { get; } = new() { VmName = WebLinux01, VmwareVmId = WebLinux01Id, VCenterHost = "vcenter.example.local", Datacenter = "DC0" };
}
