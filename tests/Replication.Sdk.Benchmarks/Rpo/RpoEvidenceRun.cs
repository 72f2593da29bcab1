using System.Diagnostics;
using System.Globalization;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary><c>--rpo</c> (issue 17 item 4, about 10 s): prints the evidence table of docs/benchmarks.md (<c>--rpo-reduced</c>: the CI guard's size).</summary>
internal static class RpoEvidenceRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var scenario = args.Contains("--rpo-reduced") ? EvidenceScenario.Reduced : EvidenceScenario.Full;
        var wall = Stopwatch.StartNew();
        var r = await RpoEvidence.RunAsync(scenario);
        wall.Stop();
        var s = r.Scenario;
        Console.WriteLine(Inv($"{s.Vms} VMs in {s.Groups} groups, {s.Concurrency} at once, R = {s.Target}, {s.Span.TotalDays} days from {s.From:O} ({s.TimeZone}), {s.InitialSyncs} initial syncs, seed {s.Seed}"));
        Console.WriteLine();
        Console.WriteLine("| | RPO schedule | cron hourly, Skip | cron hourly, BufferOne | cron hourly, AllowAll |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(Row("VM-time within RPO", f => Inv($"{f.WithinPercent:F3} %"), r));
        Console.WriteLine(Row("worst age", f => Age(f.WorstAge), r));
        Console.WriteLine(Row("VMs whose age exceeded R", f => Inv($"{f.VmsOverTarget}"), r));
        Console.WriteLine(Row("jobs run", f => Inv($"{f.Jobs:N0}"), r));
        Console.WriteLine(Row("peak creates per hour", f => Inv($"{f.PeakCreatesPerHour}"), r));
        Console.WriteLine();
        Console.WriteLine(Inv($"forecast: attainable {r.Forecast.Attainable}, worst age {Age(r.ForecastWorstAge)} vs simulated {Age(r.Rpo.WorstAge)} ({r.ForecastError:+0.0 %;-0.0 %}), within RPO {r.ForecastWithinPercent:F3} %, {r.ForecastJobs:N0} jobs; VMs whose simulated worst age is within 10 % of their forecast: {r.VmsWithinTenPercent:F1} %"));
        foreach (var (vm, simulated) in r.Forecast.Vms.Zip(r.Rpo.WorstAges).OrderByDescending(x => x.First.WorstAge).Take(args.Contains("--rpo-detail") ? 10 : 0))
        {
            Console.WriteLine(Inv($"  {vm.ContextId}: predicted {vm.PredictedDuration}, forecast worst {vm.WorstAge}, simulated worst {simulated}"));
        }

        Console.WriteLine(Inv($"wall: forecast {r.ForecastWall.TotalSeconds:F1} s, RPO run {r.RpoWall.TotalSeconds:F1} s, cron runs {r.CronWall.TotalSeconds:F1} s, all {wall.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static string Row(string name, Func<EvidenceFigures, string> cell, EvidenceReport r) => $"| {name} | {cell(r.Rpo)} | {cell(r.CronSkipping)} | {cell(r.CronBuffered)} | {cell(r.CronAlongside)} |";

    private static string Age(TimeSpan age) => Inv($"{(int)age.TotalHours}:{age.Minutes:D2}:{age.Seconds:D2}");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
