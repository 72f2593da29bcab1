using System.Text.Json;
using System.Text.Json.Nodes;
using Replication.Sdk.Jobs;
using Replication.Sdk.Serialization;
using Replication.Sdk.Tests.TestSupport;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.Jobs;

public sealed class JobPlannerTests
{
    private static readonly DateTimeOffset Now = new(2025, 9, 19, 16, 0, 0, TimeSpan.Zero);
    private static readonly ReplicationJobOptions Options = new() { OsseaConfigId = 7, TargetNetwork = "net-a" };

    private static ReplicationTarget Target(string name = "web01", string? id = null, string? path = null, VmSpecSnapshot? stored = null, ReplicationJobSettings? settings = null) => new()
    {
        VmName = name, VmwareVmId = id, VmPath = path, VCenterHost = "vcenter.example.local", Datacenter = "DC1", StoredSpec = stored,
        Settings = settings ?? new ReplicationJobSettings(),
    };

    private static ReplicationJobPlan Plan(ReplicationTarget target, VmInventory inventory, ReplicationJobOptions? options = null) =>
        JobPlanner.Plan(target, JobPlanner.ResolveSettings(target, options ?? Options), inventory, Now);

    // ---- identity: the VMA filter is a substring match; the builder picks exactly one VM itself ----

    [Theory]
    [InlineData("web01", "web01")]
    [InlineData("WEB01", "web01")]   // case-insensitive
    [InlineData("web010", "web010")] // not confused by the shorter name
    [InlineData("web01-old", "WEB01-old")]
    public void Identity_ExactNameIgnoringCase_NeverASubstring(string target, string expected)
    {
        Plan(Target(target), Inventories.Web01Family()).Vm.Name.Should().Be(expected);
    }

    [Fact]
    public void Identity_KnownIdWins_EvenAfterARename()
    {
        var inventory = Inventories.Of(Inventories.Vm("web01-renamed", "id-1"), Inventories.Vm("web01", "id-2"));

        var plan = Plan(Target("web01", id: "ID-1"), inventory);

        plan.Vm.Id.Should().Be("id-1");
        plan.Warnings.Should().ContainSingle().Which.Should().Contain("now named 'web01-renamed'");
    }

    [Fact]
    public void Identity_SameNameTwice_NarrowedByPath()
    {
        var inventory = Inventories.Of(Inventories.Vm("web01", "id-1", "/DC1/vm/Prod/web01"), Inventories.Vm("web01", "id-2", "/DC1/vm/Test/web01"));

        Plan(Target(path: "/DC1/vm/Test/web01"), inventory).Vm.Id.Should().Be("id-2");
    }

    [Fact]
    public void Identity_SameNameTwiceWithoutIdOrPath_IsAmbiguousListingCandidates()
    {
        var inventory = Inventories.Of(Inventories.Vm("web01", "id-1", "/DC1/vm/Prod/web01"), Inventories.Vm("WEB01", "id-2", "/DC1/vm/Test/WEB01"));

        var error = FluentActions.Invoking(() => Plan(Target(), inventory)).Should().Throw<VmAmbiguousException>().Which;

        error.Candidates.Should().Equal("WEB01 (id-2) at /DC1/vm/Test/WEB01", "web01 (id-1) at /DC1/vm/Prod/web01");
        error.Message.Should().Contain("matches 2 VMs");
    }

    [Fact]
    public void Identity_NoExactMatch_IsNotFoundListingNearMatches()
    {
        var inventory = Inventories.Of(Inventories.Vm("web010", "a"), Inventories.Vm("testweb01", "b"), Inventories.Vm("db01", "c"));

        var error = FluentActions.Invoking(() => Plan(Target(), inventory)).Should().Throw<VmNotFoundException>().Which;

        error.NearMatches.Should().Equal("testweb01", "web010");
        error.Message.Should().Contain("VM 'web01' was not found in datacenter 'DC1' on vCenter 'vcenter.example.local'");
    }

    [Fact]
    public void Identity_EmptyInventory_IsNotFound()
    {
        FluentActions.Invoking(() => Plan(Target(), Inventories.Of())).Should().Throw<VmNotFoundException>().Which.NearMatches.Should().BeEmpty();
    }

    [Fact]
    public void Identity_NameMatchesButIdChanged_FailsByDefault()
    {
        var error = FluentActions.Invoking(() => Plan(Target(id: "old-id"), Inventories.Web01Family())).Should().Throw<VmIdentityChangedException>().Which;

        error.ExpectedId.Should().Be("old-id");
        error.ActualId.Should().Be("4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e");
    }

    [Fact]
    public void Identity_IdChanged_CanProceedWithWarningAndDrift()
    {
        var plan = Plan(Target(id: "old-id", settings: new ReplicationJobSettings { IdentityChangePolicy = IdentityChangePolicy.ProceedWithWarning }), Inventories.Web01Family());

        plan.Vm.Name.Should().Be("web01");
        plan.Warnings.Should().ContainSingle(w => w.Contains("was replaced"));
        plan.Drift.Changes.Should().ContainSingle().Which.Should().Be(new DriftChange(DriftKind.IdentityChanged, "web01", "old-id", "4210a1b2-c3d4-e5f6-0718-293a4b5c6d7e"));
    }

    // ---- validation before anything is sent ----

    public static TheoryData<string, Func<DiscoveredVm, DiscoveredVm>> InvalidVms => new()
    {
        { "the VM has no disks", vm => vm with { Disks = [] } },
        { "disk 'Hard disk 2' (disk-2001) has no backing path: RDM and SeSparse disks cannot be replicated", vm => vm with { Disks = [vm.Disks[0], vm.Disks[1] with { Path = "", VmdkPath = "", Datastore = "", ProvisioningType = "unknown" }] } },
        { "disk 'Hard disk 1' (disk-2000) has capacity_bytes 0", vm => vm with { Disks = [vm.Disks[0] with { CapacityBytes = 0, SizeGb = 0 }] } },
        { "num_cpu is 0", vm => vm with { NumCpu = 0 } },
        { "memory_mb is 0", vm => vm with { MemoryMb = 0 } },
        { "the discovered VM has an empty id, name or path", vm => vm with { Path = "" } },
    };

    [Theory]
    [MemberData(nameof(InvalidVms))]
    public void Validation_VmThatWouldBlockTheOma_IsRejected(string problem, Func<DiscoveredVm, DiscoveredVm> change)
    {
        var inventory = Inventories.Of(Inventories.Vm("web01", "id-1", change: change));

        var error = FluentActions.Invoking(() => Plan(Target(), inventory)).Should().Throw<ReplicationJobValidationException>().Which;

        error.Problems.Should().Contain(problem);
        error.VmName.Should().Be("web01");
    }

    [Fact]
    public void Validation_RealSimulatorInventory_ZeroCapacityDisksAreRejected()
    {
        // The vcsim default VMs report capacity_bytes 0: the builder refuses rather than create 5 GiB volumes.
        var target = Target("DC0_H0_VM0") with { Datacenter = "DC0" };
        FluentActions.Invoking(() => Plan(target, Inventories.RealDc0())).Should().Throw<ReplicationJobValidationException>()
            .Which.Problems.Should().Equal("disk 'disk-202-0' (disk-255511522) has capacity_bytes 0");
    }

    [Theory]
    [InlineData(null, "net-a", "no OSSEA configuration id: set Replication:Jobs:OsseaConfigId or the target's Settings.OsseaConfigId")]
    [InlineData(0, "net-a", "the OSSEA configuration id must be positive (was 0)")]
    [InlineData(7, null, "no target network: set Replication:Jobs:TargetNetwork or the target's Settings.TargetNetwork")]
    [InlineData(7, " ", "no target network")]
    public void Settings_NoHardCodedDefaults_MissingOnesFailClearly(int? configId, string? network, string problem)
    {
        var options = new ReplicationJobOptions { OsseaConfigId = configId, TargetNetwork = network };
        FluentActions.Invoking(() => JobPlanner.ResolveSettings(Target(), options)).Should().Throw<ReplicationJobValidationException>()
            .Which.Problems.Should().ContainSingle(p => p.StartsWith(problem));
    }

    [Fact]
    public void Settings_TargetOverridesOptions()
    {
        var settings = JobPlanner.ResolveSettings(Target(settings: new ReplicationJobSettings { OsseaConfigId = 9, TargetNetwork = "net-b", ReplicationType = ReplicationType.Incremental }), Options);
        settings.Should().BeEquivalentTo(new { OsseaConfigId = 9, TargetNetwork = "net-b", ReplicationType = ReplicationType.Incremental, StartReplication = true });
    }

    [Fact]
    public void Warnings_FallbackNetworkNames_AreKeptAndReported()
    {
        var vm = Inventories.Vm("web01", "id-1", change: v => v with
        {
            Networks =
            [
                new DiscoveredNetwork { Label = "Network adapter 1", NetworkName = "ERROR-NULL-BACKING" },
                new DiscoveredNetwork { Label = "Network adapter 2", NetworkName = "STD-REF-network-12" },
                new DiscoveredNetwork { Label = "Network adapter 3", NetworkName = "DVS-PG-5" },
                new DiscoveredNetwork { Label = "Network adapter 4", NetworkName = "NSX-abc" },
                new DiscoveredNetwork { Label = "Network adapter 5", NetworkName = "Prod-VLAN-10" },
            ],
        });

        var plan = Plan(Target(), Inventories.Of(vm));

        plan.Request.SourceVm.Networks.Select(n => n.NetworkName).Should().Equal("ERROR-NULL-BACKING", "STD-REF-network-12", "DVS-PG-5", "NSX-abc", "Prod-VLAN-10");
        plan.Warnings.Should().HaveCount(4).And.OnlyContain(w => w.Contains("has no resolvable port group"));
    }

    // ---- mapping: golden files ----

    [Theory]
    [InlineData("web-linux-01", ReplicationType.Auto, "web-linux-01.auto.json")]
    [InlineData("win-sql-01", ReplicationType.Full, "win-sql-01.full.json")]
    public void Mapping_RealDiscovery_ProducesTheExactRequestBody(string vmName, ReplicationType type, string golden)
    {
        var target = new ReplicationTarget
        {
            VmName = vmName, VCenterHost = "127.0.0.1:18990", Datacenter = "DC0",
            Settings = new ReplicationJobSettings { ReplicationType = type, ScheduleExecutionId = "exec-20250919-0200", VmGroupId = "grp-prod", ScheduledBy = "scheduler" },
        };

        var plan = Plan(target, Inventories.RealDc0());
        var actual = JsonNode.Parse(JsonSerializer.Serialize(plan.Request, ReplicationJsonContext.Default.CreateReplicationRequest))!
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal);
        var path = Fixtures.Path($"golden/{golden}");

        if (Environment.GetEnvironmentVariable("REPLICATION_SDK_ACCEPT_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures", "golden", golden), actual + "\n");
        }

        actual.Should().Be(File.ReadAllText(path).TrimEnd('\n').Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ReplicationType.Auto, "")]
    [InlineData(ReplicationType.Full, "initial")]
    [InlineData(ReplicationType.Incremental, "incremental")]
    public void Mapping_ReplicationType_ToWire(ReplicationType type, string wire)
    {
        JobPlanner.ToWire(type).Should().Be(wire);
        Plan(Target(settings: new ReplicationJobSettings { ReplicationType = type }), Inventories.Web01Family()).Request.ReplicationType.Should().Be(wire);
    }

    [Fact]
    public void Mapping_UsesNumCpuAndGuestOs_KeepsDiskOrderAndAlwaysSetsVCenterAndDatacenter()
    {
        var vm = Inventories.Vm("web01", "id-1", change: v => v with { Cpus = 0, OsType = "", NumCpu = 6, GuestOs = "windows", Disks = [v.Disks[1], v.Disks[0]] });

        var request = Plan(Target(), Inventories.Of(vm)).Request;

        request.SourceVm.Cpus.Should().Be(6);
        request.SourceVm.OsType.Should().Be("windows");
        request.SourceVm.Disks.Select(d => d.Id).Should().Equal("disk-2001", "disk-2000");
        request.VcenterHost.Should().Be("vcenter.example.local");
        request.Datacenter.Should().Be("DC1");
        request.OsseaConfigId.Should().Be(7);
        request.TargetNetwork.Should().Be("net-a");
        request.StartReplication.Should().BeTrue();
    }

    // ---- drift ----

    [Fact]
    public void Drift_NoStoredSpec_IsEmpty()
    {
        Plan(Target(), Inventories.Web01Family()).Drift.Should().Be(DriftReport.None);
    }

    [Fact]
    public void Drift_Unchanged_IsEmpty()
    {
        var inventory = Inventories.Web01Family();
        var stored = VmSpecSnapshot.FromDiscovery(inventory.Vms.Single(v => v.Name == "web01"));
        Plan(Target(stored: stored), inventory).Drift.HasChanges.Should().BeFalse();
    }

    [Fact]
    public void Drift_ReportsEveryKindOfChange()
    {
        var before = Inventories.Vm("web01", "id-1", "/DC1/vm/Prod/web01");
        var stored = VmSpecSnapshot.FromDiscovery(before) with
        {
            Disks = [.. VmSpecSnapshot.FromDiscovery(before).Disks!, new StoredDisk { Id = "disk-2009", Path = "[ds] gone.vmdk", CapacityBytes = 1 }],
            Networks = [.. VmSpecSnapshot.FromDiscovery(before).Networks!, new StoredNetwork { Label = "Network adapter 9", NetworkName = "Old" }],
        };
        var now = before with
        {
            Id = "id-2",
            Path = "/DC1/vm/Moved/web01",
            NumCpu = 8,
            MemoryMb = 16384,
            PowerState = "poweredOff",
            GuestOs = "windows",
            Disks =
            [
                before.Disks[0] with { CapacityBytes = 53687091200 },
                before.Disks[1] with { Path = "[datastore2] web01/web01_1.vmdk" },
                new DiscoveredDisk { Id = "disk-2002", Label = "Hard disk 3", Path = "[datastore1] web01/web01_2.vmdk", CapacityBytes = 1073741824 },
            ],
            Networks =
            [
                before.Networks[0] with { NetworkName = "Prod-VLAN-20" },
                new DiscoveredNetwork { Label = "Network adapter 2", NetworkName = "Backup" },
            ],
        };
        var options = new ReplicationJobOptions { OsseaConfigId = 7, TargetNetwork = "n", IdentityChangePolicy = IdentityChangePolicy.ProceedWithWarning };

        var drift = Plan(Target(stored: stored), Inventories.Of(now), options).Drift;

        drift.Changes.Select(c => c.Kind).Should().Equal(
            DriftKind.IdentityChanged, DriftKind.PathChanged, DriftKind.CpuChanged, DriftKind.MemoryChanged, DriftKind.PowerStateChanged,
            DriftKind.OsChanged, DriftKind.DiskAdded, DriftKind.DiskRemoved, DriftKind.DiskResized, DriftKind.DiskRepathed,
            DriftKind.NetworkAdded, DriftKind.NetworkRemoved, DriftKind.NetworkRemapped);
        drift.Changes.Single(c => c.Kind == DriftKind.DiskResized).Should().Be(new DriftChange(DriftKind.DiskResized, "disk-2000", "42949672960 bytes", "53687091200 bytes"));
        drift.Changes.Single(c => c.Kind == DriftKind.NetworkRemapped).Should().Be(new DriftChange(DriftKind.NetworkRemapped, "Network adapter 1", "VM Network", "Prod-VLAN-20"));
        drift.Changes.Single(c => c.Kind == DriftKind.CpuChanged).Should().Be(new DriftChange(DriftKind.CpuChanged, "web01", "4", "8"));
        drift.ToString().Should().Contain("DiskRemoved disk-2009");
    }
}
