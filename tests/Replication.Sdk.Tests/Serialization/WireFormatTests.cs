using System.Text.Json;
using Replication.Sdk.Oma;
using Replication.Sdk.Serialization;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.Serialization;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData("2025-09-19T17:19:28Z", 2025, 9, 19, 17, 19, 28, 0L, 0)]
    [InlineData("2025-09-19T17:19:28.1Z", 2025, 9, 19, 17, 19, 28, 1000000L, 0)]
    [InlineData("2025-09-19T17:19:28.123456789+01:00", 2025, 9, 19, 17, 19, 28, 1234567L, 60)]
    [InlineData("2025-09-19T17:19:28.999999999-05:30", 2025, 9, 19, 17, 19, 28, 9999999L, -330)]
    [InlineData("2025-09-19T17:19:28.1234+14:00", 2025, 9, 19, 17, 19, 28, 1234000L, 840)]
    [InlineData("0001-01-01T00:00:00Z", 1, 1, 1, 0, 0, 0, 0L, 0)]
    public void GoTimestamp_AnyFractionAndOffset_TruncatesToTicksAndKeepsOffset(string text, int y, int mo, int d, int h, int mi, int s, long ticks, int offsetMinutes)
    {
        var value = JsonSerializer.Deserialize(Wrap(text), ReplicationJsonContext.Default.VmaHealth)!.Timestamp;

        value.Should().Be(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks));
        value!.Value.Offset.Should().Be(TimeSpan.FromMinutes(offsetMinutes));
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2025-09-19 17:19:28\"")]
    [InlineData("12345")]
    public void GoTimestamp_NotATimestamp_IsAJsonError(string raw)
    {
        var act = () => JsonSerializer.Deserialize($$"""{"timestamp":{{raw}}}""", ReplicationJsonContext.Default.VmaHealth);
        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void GoTimestamp_WritesRfc3339()
    {
        GoTimestampConverter.Format(new DateTimeOffset(2025, 9, 19, 17, 19, 28, TimeSpan.FromHours(1)).AddTicks(1234567)).Should().Be("2025-09-19T17:19:28.1234567+01:00");
        GoTimestampConverter.Format(new DateTimeOffset(2025, 9, 19, 17, 19, 28, TimeSpan.Zero)).Should().Be("2025-09-19T17:19:28Z");
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(100L, 1L)]
    [InlineData(199L, 1L)]
    [InlineData(1_500_000_000L, 15_000_000L)]
    [InlineData(9_223_372_036_854_775_807L, 92_233_720_368_547_758L)]
    public void NanosecondDuration_ReadsAsTicks(long nanoseconds, long ticks)
    {
        JsonSerializer.Deserialize(nanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ReplicationJsonContext.Default.TimeSpan)
            .Should().Be(TimeSpan.FromTicks(ticks));
    }

    [Fact]
    public void NanosecondDuration_WritesNanoseconds()
    {
        JsonSerializer.Serialize(TimeSpan.FromSeconds(1.5), ReplicationJsonContext.Default.TimeSpan).Should().Be("1500000000");
    }

    [Fact]
    public void Inventory_UnknownFieldsAndVmaQuirks_AreTolerated()
    {
        var inventory = JsonSerializer.Deserialize("""
            {"vcenter":{"host":"h","datacenter":"DC1","build":"8.0"},"extra":[1,2],
             "vms":[{"id":"vm-1234","name":"web01","cpus":0,"num_cpu":4,"os_type":"","guest_os":"linux","memory_mb":"8192",
                     "disks":[{"id":"disk-2000","path":"","vmdk_path":"","datastore":"","provisioning_type":"unknown","capacity_bytes":1,"new":true}],
                     "networks":[{"label":"Network adapter 1","network_name":"ERROR-NULL-BACKING","adapter_type":"unknown"}]}]}
            """, ReplicationJsonContext.Default.VmInventory)!;

        var vm = inventory.Vms.Single();
        vm.Cpus.Should().Be(0);
        vm.NumCpu.Should().Be(4);
        vm.MemoryMb.Should().Be(8192, "numbers may arrive quoted");
        vm.Disks.Single().Path.Should().BeEmpty();
        vm.Networks.Single().NetworkName.Should().Be("ERROR-NULL-BACKING");
    }

    [Fact]
    public void JobStatus_RoundTripsUnknownValues()
    {
        var status = JsonSerializer.Deserialize("""{"job_id":"j","status":"teleporting"}""", ReplicationJsonContext.Default.ReplicationJob)!.Status;
        status.Value.Should().Be("teleporting");
        status.IsKnown.Should().BeFalse();
        status.IsTerminal.Should().BeFalse();
        default(ReplicationJobStatus).Value.Should().BeEmpty();
        JsonSerializer.Deserialize("""{"job_id":"j","status":null}""", ReplicationJsonContext.Default.ReplicationJob)!.Status.Should().Be(default(ReplicationJobStatus));
    }

    [Fact]
    public void CreateRequest_SerializesSnakeCaseAndOmitsUnsetOptionals()
    {
        var json = JsonSerializer.Serialize(TestSupport.Requests.Create(), ReplicationJsonContext.Default.CreateReplicationRequest);

        json.Should().Contain("\"ossea_config_id\":7").And.Contain("\"vcenter_host\":\"vcenter.example.local\"")
            .And.Contain("\"memory_mb\":8192").And.Contain("\"vmware_tools_version\":\"\"").And.Contain("\"unit_number\":0")
            .And.NotContain("change_id").And.NotContain("schedule_execution_id").And.NotContain("snapshot_id");
    }

    private static string Wrap(string text) => $$"""{"timestamp":"{{text}}"}""";
}
