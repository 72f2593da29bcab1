namespace Replication.Sdk.Scheduling;

/// <summary>
/// One VM's course in a simulation: its newest replica, its running job, and what the forecast reports — the worst age
/// reached, the time above R (or without a replica), the jobs started, its first start and first replica.
/// </summary>
internal sealed class RpoAgeTrack(RpoVm vm, DateTimeOffset? runningUntil, DateTimeOffset from)
{
    private DateTimeOffset _segment = from;

    public RpoVm Vm { get; } = vm;

    public DateTimeOffset? Last { get; private set; } = vm.LastCompleted;

    public DateTimeOffset? RunningUntil { get; private set; } = runningUntil;

    public TimeSpan? Worst { get; private set; }

    public TimeSpan Outside { get; private set; }

    public int Jobs { get; private set; }

    public DateTimeOffset? FirstStart { get; private set; }

    public DateTimeOffset? FirstReplica { get; private set; }

    /// <summary>A job starts at <paramref name="at"/> and is expected to end at <paramref name="until"/>.</summary>
    public void Start(DateTimeOffset at, DateTimeOffset until)
    {
        RunningUntil = until;
        FirstStart ??= at;
        Jobs++;
    }

    /// <summary>Its job completes at <paramref name="at"/>.</summary>
    public void Complete(DateTimeOffset at, TimeSpan target)
    {
        Account(at, target);
        FirstReplica ??= Last is null ? at : null;
        Last = at;
        RunningUntil = null;
    }

    /// <summary>The age is <c>t − Last</c> over [segment, <paramref name="to"/>): the time above R, and the age at its end.</summary>
    public void Account(DateTimeOffset to, TimeSpan target)
    {
        if (Last is { } last)
        {
            var age = to - last;
            Worst = Worst is { } w && w >= age ? w : age;
        }

        Outside += RpoCompliance.Outside(Last, _segment, to, target);
        _segment = to;
    }

    /// <summary>Its course over a simulation of <paramref name="horizon"/>, accounted to its end.</summary>
    public SimulatedVm Result(TimeSpan horizon) => new(Vm, Worst, Outside, horizon, Jobs, FirstReplica, FirstStart);
}
