using System.Globalization;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Samples.Console;

/// <summary>Prints <c>--preview</c>: per schedule its occurrences (a few, then a count), then its VMs and why any would not run.</summary>
internal static class PreviewPrinter
{
    private const int OccurrencesShown = 5;

    public static void Print(IReadOnlyList<SchedulePreview> previews, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("Preview of the next 7 days (no appliance is called):");
        foreach (var p in previews)
        {
            output.WriteLine(string.Create(c, $"schedule {p.ScheduleId} ({p.Name}, {p.TimeZone}):"));
            if (p.Problem is not null)
            {
                output.WriteLine(string.Create(c, $"  would not run: {p.Problem}"));
            }

            foreach (var o in p.Occurrences.Take(OccurrencesShown))
            {
                var dst = o.Dst == OccurrenceDst.None ? "" : $"  [{o.Dst}]";
                var starts = o.Starts.Count == 0 ? "no VM starts" : $"{o.Starts.Count} VM(s) from {o.Starts[0].At:HH:mm:ss} to {o.Starts[^1].At:HH:mm:ss} UTC";
                var past = o.StartsPastDeadline > 0 ? $", {o.StartsPastDeadline} past the deadline (would not start)" : "";
                output.WriteLine(string.Create(c, $"  {o.Local:yyyy-MM-dd HH:mm:ss zzz}  = {o.ScheduledFor:yyyy-MM-dd HH:mm:ss}Z{dst}: {starts}{past}"));
            }

            var more = p.Occurrences.Count - OccurrencesShown;
            if (more > 0 || p.OccurrencesTruncated)
            {
                output.WriteLine(string.Create(c, $"  … {(p.OccurrencesTruncated ? "at least " : "")}{more} more occurrence(s)"));
            }

            foreach (var vm in p.Vms)
            {
                output.WriteLine(vm.IsSelected
                    ? string.Create(c, $"  VM {vm.VmName} (group {vm.GroupId}): would run{(vm.SpreadOffset > TimeSpan.Zero ? $", {vm.SpreadOffset:hh\\:mm\\:ss} into the spread" : "")}")
                    : string.Create(c, $"  VM {vm.VmName} (group {vm.GroupId}): would not run, {vm.Status}: {vm.Reason}"));
            }
        }
    }
}
