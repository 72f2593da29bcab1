using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Full mode: dotnet run -c Release --project tests/Replication.Sdk.Benchmarks -- --filter '*'
// Quick mode (< 3 min on 2 cores): add --quick (short runs of the micro-benchmarks; the bulk run is 2 iterations either way).
// Scale runs (issue 19; wall-clock figures of long operations, see docs/benchmarks.md):
//   --scale           about a minute: 50,000 schedules in the engine and in the MariaDB store, claim cost and claims/s
//   --scale-cluster   5 minutes (--scale-duration=SECONDS): 3 instances on one MariaDB at 50 occurrences/s
//   --punctuality     2 × 60 s (--scale-duration=SECONDS): 1,000 schedules due every second, then 100 schedules of one
//                     simulated VM each every 10 s, each beside Quartz.NET (--punctuality-vms: the second alone)
//   --bulk            10,000 VMs across 10 (vCenter, datacenter) pairs on the simulator
//   --poll            CPU and allocations of one job-status poll, simulator holding --poll-jobs=N jobs (10,000)
if (args.Contains("--scale") || args.Contains("--scale-cluster") || args.Contains("--punctuality") || args.Contains("--punctuality-vms") || args.Contains("--bulk") || args.Contains("--poll"))
{
    return await Replication.Sdk.Benchmarks.Scale.ScaleRun.RunAsync(args);
}

var quick = args.Contains("--quick");
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
if (quick)
{
    // A fixed invocation count skips the pilot stage, which dominates short runs of fast benchmarks.
    config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithInvocationCount(256).WithUnrollFactor(1));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(a => a != "--quick")], config);
return 0;
