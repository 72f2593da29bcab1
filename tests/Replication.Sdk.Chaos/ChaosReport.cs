using System.Globalization;
using System.Text;

namespace Replication.Sdk.Chaos;

/// <summary>What a soak did and what it found; <see cref="Violations"/> is empty when every invariant held.</summary>
internal sealed record ChaosReport
{
    public required ChaosSettings Settings { get; init; }

    public required IReadOnlyDictionary<string, int> FaultsByKind { get; init; }

    public int Executions { get; init; }

    public int Occurrences { get; init; }

    public int Submissions { get; init; }

    public int Jobs { get; init; }

    public int Orphans { get; init; }

    public int Duplicates { get; init; }

    public int LostOutcomes { get; init; }

    public int Takeovers { get; init; }

    public int Logins { get; init; }

    public int LeaseLosses { get; init; }

    public int SessionLosses { get; init; }

    /// <summary>Gets the name of the store the instances shared.</summary>
    public string Store { get; init; } = string.Empty;

    public int VmsReplicated { get; init; }

    public int VmSlots { get; init; }

    /// <summary>Gets how the recorded VM outcomes end, by kind and reason (the reason's first words), most frequent first.</summary>
    public IReadOnlyList<(string Outcome, int Count)> Outcomes { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public required IReadOnlyList<string> Violations { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder();
        var s = Settings;
        text.Append(CultureInfo.InvariantCulture, $"chaos soak on {Store}, seed {s.Seed}: {s.Instances} instances, {s.Vms} VMs, {s.Duration} fake time, fault rate {s.FaultRate:P0}, store fault rate {s.StoreFaultRate:P0}, freeze {s.FreezeOne}, kill {s.KillOne}; {Elapsed.TotalSeconds:F0} s real\n");
        text.Append(CultureInfo.InvariantCulture, $"  faults: {string.Join(", ", FaultsByKind.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))}\n");
        text.Append(CultureInfo.InvariantCulture, $"  executions {Executions} ({Occurrences} occurrences), submissions {Submissions}, jobs {Jobs}, VMs replicated {VmsReplicated} of {VmSlots} slots\n");
        text.Append(CultureInfo.InvariantCulture, $"  outcomes: {string.Join("; ", Outcomes.Take(12).Select(o => $"{o.Count} × {o.Outcome}"))}\n");
        text.Append(CultureInfo.InvariantCulture, $"  orphans {Orphans}, duplicates {Duplicates}, lost outcomes {LostOutcomes}, takeovers {Takeovers}, lease losses {LeaseLosses}, logins {Logins} for {SessionLosses} session losses\n");
        text.Append(Violations.Count == 0 ? "  every invariant held" : $"  {Violations.Count} violations:\n    " + string.Join("\n    ", Violations.Take(40)));
        return text.ToString();
    }
}
