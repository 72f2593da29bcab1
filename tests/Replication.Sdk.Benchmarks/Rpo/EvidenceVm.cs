namespace Replication.Sdk.Benchmarks.Rpo;

/// <summary>
/// One VM's real job durations in the evidence runs: log-normal around the VM's own median, drawn from a stream seeded by
/// the VM, so its n-th job takes the same time under the RPO schedule and under the cron schedule. A VM without a replica
/// first runs its initial sync (a full copy, hours long), then incremental jobs.
/// </summary>
internal sealed class EvidenceVm
{
    private readonly Random _random;
    private readonly List<TimeSpan> _drawn = [];

    /// <param name="contextId">The VM context id.</param>
    /// <param name="groupId">Its group.</param>
    /// <param name="median">The median of its incremental jobs.</param>
    /// <param name="spread">σ of the log of its job durations.</param>
    /// <param name="initialSync">How long its initial sync really takes, for a VM without a replica.</param>
    /// <param name="seed">The seed of its duration stream.</param>
    public EvidenceVm(string contextId, string groupId, TimeSpan median, double spread, TimeSpan? initialSync, int seed)
    {
        ContextId = contextId;
        GroupId = groupId;
        Median = median;
        Spread = spread;
        InitialSync = initialSync;
#pragma warning disable CA5394 // A seeded simulation, not security: the same seed must give the same durations.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    public string ContextId { get; }

    public string GroupId { get; }

    public TimeSpan Median { get; }

    public double Spread { get; }

    public TimeSpan? InitialSync { get; }

    /// <summary>How long its <paramref name="job"/>-th job (from 0) in the run takes.</summary>
    public TimeSpan Duration(int job)
    {
        while (_drawn.Count <= job)
        {
            _drawn.Add(_drawn.Count == 0 && InitialSync is { } sync ? sync : LogNormal(_random, Median, Spread));
        }

        return _drawn[job];
    }

    /// <summary>A log-normal draw: <c>median · e^(σ·z)</c>, z standard normal (Box–Muller), whole seconds.</summary>
    public static TimeSpan LogNormal(Random random, TimeSpan median, double sigma)
    {
        ArgumentNullException.ThrowIfNull(random);
#pragma warning disable CA5394 // As above.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
#pragma warning restore CA5394
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Round(median.TotalSeconds * Math.Exp(sigma * z))));
    }
}
