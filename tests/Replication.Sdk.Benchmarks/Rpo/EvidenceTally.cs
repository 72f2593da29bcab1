using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// What one run did: per VM its course as the forecast counts it (<see cref="RpoAgeTrack"/>: worst age, time above R or
/// without a replica), the jobs started, and how many were created in each hour of the run.
/// </summary>
internal sealed class EvidenceTally : IRpoCourse
{
    private readonly DateTimeOffset _from;
    private readonly TimeSpan _target;
    private readonly RpoAgeTrack[] _tracks;
    private readonly Dictionary<long, int> _createsPerHour = [];

    public EvidenceTally(IReadOnlyList<RpoVm> vms, DateTimeOffset from, TimeSpan target)
    {
        ArgumentNullException.ThrowIfNull(vms);
        _from = from;
        _target = target;
        _tracks = [.. vms.Select(v => new RpoAgeTrack(v, null, from))];
    }

    /// <summary>The newest completion of VM <paramref name="vm"/>.</summary>
    public DateTimeOffset? Last(int vm) => _tracks[vm].Last;

    public void Started(int vm, DateTimeOffset at, DateTimeOffset until)
    {
        _tracks[vm].Start(at, until);
        var hour = (at - _from).Ticks / TimeSpan.TicksPerHour;
        _createsPerHour[hour] = _createsPerHour.GetValueOrDefault(hour) + 1;
    }

    public void Completed(int vm, DateTimeOffset at) => _tracks[vm].Complete(at, _target);

    /// <summary>The figures over [from, <paramref name="end"/>).</summary>
    public EvidenceFigures Close(DateTimeOffset end)
    {
        var span = end - _from;
        var results = _tracks.Select(t =>
        {
            t.Account(end, _target);
            return t.Result(span);
        }).ToList();
        var outside = results.Aggregate(TimeSpan.Zero, (a, r) => a + r.Outside);
        return new EvidenceFigures(
            100.0 * (1 - ((double)outside.Ticks / (span.Ticks * (double)results.Count))),
            results.Max(r => r.WorstAge) ?? TimeSpan.Zero,
            results.Sum(r => r.Jobs),
            _createsPerHour.Count == 0 ? 0 : _createsPerHour.Values.Max(),
            results.Count(r => r.WorstAge > _target),
            [.. results.Select(r => r.WorstAge)]);
    }
}

/// <summary>One run's figures.</summary>
/// <param name="WithinPercent">The share of VM-time with the newest replica within R (time without one counts as outside).</param>
/// <param name="WorstAge">The largest age any VM reached once it had a replica.</param>
/// <param name="Jobs">Jobs started.</param>
/// <param name="PeakCreatesPerHour">The most jobs created in one hour of the run.</param>
/// <param name="VmsOverTarget">VMs whose worst age exceeded R.</param>
/// <param name="WorstAges">Each VM's worst age, in selection order.</param>
internal sealed record EvidenceFigures(double WithinPercent, TimeSpan WorstAge, int Jobs, int PeakCreatesPerHour, int VmsOverTarget, IReadOnlyList<TimeSpan?> WorstAges);
