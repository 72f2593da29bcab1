using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// What one run did: per VM the time its newest replica was older than R (or it had none) and its worst age, as the
/// forecast counts them (<see cref="RpoCompliance"/>); the jobs started, and how many were created in each clock hour.
/// </summary>
internal sealed class EvidenceTally
{
    private readonly DateTimeOffset _from;
    private readonly TimeSpan _target;
    private readonly DateTimeOffset?[] _last;
    private readonly DateTimeOffset[] _segment;
    private readonly TimeSpan[] _outside;
    private readonly TimeSpan?[] _worst;
    private readonly Dictionary<long, int> _createsPerHour = [];

    public EvidenceTally(IReadOnlyList<DateTimeOffset?> lastCompleted, DateTimeOffset from, TimeSpan target)
    {
        ArgumentNullException.ThrowIfNull(lastCompleted);
        _from = from;
        _target = target;
        _last = [.. lastCompleted];
        _segment = [.. lastCompleted.Select(_ => from)];
        _outside = new TimeSpan[_last.Length];
        _worst = new TimeSpan?[_last.Length];
    }

    public int Jobs { get; private set; }

    /// <summary>The newest completion of VM <paramref name="vm"/>.</summary>
    public DateTimeOffset? Last(int vm) => _last[vm];

    public void Started(DateTimeOffset at)
    {
        Jobs++;
        var hour = (at - _from).Ticks / TimeSpan.TicksPerHour;
        _createsPerHour[hour] = _createsPerHour.GetValueOrDefault(hour) + 1;
    }

    public void Completed(int vm, DateTimeOffset at)
    {
        Account(vm, at);
        _last[vm] = at;
    }

    /// <summary>The figures over [from, <paramref name="end"/>).</summary>
    public EvidenceFigures Close(DateTimeOffset end)
    {
        for (var vm = 0; vm < _last.Length; vm++)
        {
            Account(vm, end);
        }

        var span = end - _from;
        var outside = _outside.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        return new EvidenceFigures(
            100.0 * (1 - ((double)outside.Ticks / (span.Ticks * (double)_last.Length))),
            _worst.Max() ?? TimeSpan.Zero,
            Jobs,
            _createsPerHour.Count == 0 ? 0 : _createsPerHour.Values.Max(),
            _worst.Count(w => w > _target),
            [.. _worst]);
    }

    private void Account(int vm, DateTimeOffset to)
    {
        if (_last[vm] is { } last && (to - last) is var age && (_worst[vm] is not { } w || age > w))
        {
            _worst[vm] = age;
        }

        _outside[vm] += RpoCompliance.Outside(_last[vm], _segment[vm], to, _target);
        _segment[vm] = to;
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
