using Replication.Sdk.Jobs;

namespace Replication.Sdk.Scheduling.Tests.Rpo;

/// <summary>The predicted duration: an exponentially weighted mean, or the disk-size default without history.</summary>
public sealed class DurationPredictorTests
{
    private static readonly ScheduledVm Vm = new() { ContextId = "c1", VmName = "vm1", VCenterHost = "vc", Datacenter = "dc" };

    [Fact]
    public void Ewma_NoHistory_IsNull() => DurationPredictor.Ewma([], 0.3).Should().BeNull();

    [Fact]
    public void Ewma_OneJob_IsThatJob() => DurationPredictor.Ewma([TimeSpan.FromMinutes(42)], 0.3).Should().Be(TimeSpan.FromMinutes(42));

    [Fact]
    public void Ewma_WeighsTheNewestByAlpha()
    {
        // e1 = 60, e2 = 0.3·120 + 0.7·60 = 78, e3 = 0.3·30 + 0.7·78 = 63.6 minutes.
        DurationPredictor.Ewma([TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(120), TimeSpan.FromMinutes(30)], 0.3)
            .Should().Be(TimeSpan.FromMinutes(63.6));
    }

    [Fact]
    public void Ewma_AlphaOne_IsTheNewest() =>
        DurationPredictor.Ewma([TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(5)], 1).Should().Be(TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Ewma_AlphaOutOfRange_Throws(double alpha) =>
        FluentActions.Invoking(() => DurationPredictor.Ewma([TimeSpan.FromMinutes(1)], alpha)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void WithoutHistory_DiskSizesAtTheRate()
    {
        var vm = Vm with { LastKnownSpec = new VmSpecSnapshot { Disks = [new StoredDisk { Id = "disk-1", CapacityBytes = 100L * 1024 * 1024 * 1024 }, new StoredDisk { Id = "disk-2", CapacityBytes = 50L * 1024 * 1024 * 1024 }] } };

        // 150 GiB at 50 MiB/s = 3,072 s.
        DurationPredictor.WithoutHistory(vm, 50L * 1024 * 1024, TimeSpan.FromHours(1)).Should().Be(TimeSpan.FromSeconds(3072));
    }

    [Fact]
    public void WithoutHistory_NoDisksKnown_IsTheFallback() =>
        DurationPredictor.WithoutHistory(Vm, 1024, TimeSpan.FromHours(2)).Should().Be(TimeSpan.FromHours(2));

    [Fact]
    public void Predict_HistoryWinsOverDiskSize()
    {
        var vm = Vm with { LastKnownSpec = new VmSpecSnapshot { Disks = [new StoredDisk { Id = "disk-1", CapacityBytes = 1L << 40 }] } };

        DurationPredictor.Predict(vm, [TimeSpan.FromMinutes(7)], RpoSettings.For(TimeSpan.FromHours(4))).Should().Be(TimeSpan.FromMinutes(7));
        DurationPredictor.Predict(vm, [], RpoSettings.For(TimeSpan.FromHours(4))).Should().Be(TimeSpan.FromSeconds(20972));
    }
}
