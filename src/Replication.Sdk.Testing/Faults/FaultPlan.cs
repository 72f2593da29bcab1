namespace Replication.Sdk.Testing;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>
    /// Delay by <see cref="FaultRule.Latency"/> on the simulator's <see cref="SimulatorOptions.TimeProvider"/>: inside the
    /// create call's setup (the job exists meanwhile), after the work for every other route. Counts towards the OMA's write timeout.
    /// </summary>
    Latency,

    /// <summary>Answer with <see cref="FaultRule.Status"/> and the appliance's real error body for it (or <see cref="FaultRule.Body"/>).</summary>
    Error,

    /// <summary>Drop the connection before the server does anything.</summary>
    ResetBeforeEffect,

    /// <summary>Do the work (create the job), then drop the connection: the dropped-response case.</summary>
    ResetAfterEffect,

    /// <summary>Answer 200 with a malformed JSON body.</summary>
    MalformedJson,

    /// <summary>Answer 200 with a JSON body cut in the middle.</summary>
    TruncatedJson,

    /// <summary>Forget every OMA session first, as an OMA restart does.</summary>
    ExpireSessions,

    /// <summary>The appliance is down: the connection is refused (dropped before anything is read). Use endpoint <c>VMA *</c> or <c>OMA *</c> for every route.</summary>
    Down,

    /// <summary>
    /// The create race: the create waits between its 409 check and its insert until another create for the same VM has
    /// passed the check too (or <see cref="FaultRule.Latency"/>, default 30 s, passes), so both make a job. Put it on both creates (<c>Times = 2</c>).
    /// </summary>
    CreateRace,

    /// <summary>The create's workflow fails after the job row exists (500 <c>Failed to start migration workflow</c>): the job stays, <c>current_job_id</c> stays set.</summary>
    WorkflowFailure,
}

/// <summary>One fault: where, what, for which VM, how many times.</summary>
public sealed record FaultRule
{
    /// <summary>Gets the endpoint, e.g. <c>POST /api/v1/replications</c>, or <c>VMA *</c> / <c>OMA *</c> for every route of an appliance.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Gets what the fault does.</summary>
    public required FaultKind Kind { get; init; }

    /// <summary>Gets the status for <see cref="FaultKind.Error"/>.</summary>
    public int Status { get; init; } = 500;

    /// <summary>Gets an explicit body for <see cref="FaultKind.Error"/>.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the fixed delay for <see cref="FaultKind.Latency"/>.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets a random extra delay for <see cref="FaultKind.Latency"/>, uniform in [0, this), drawn from the simulator's seed.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>Gets a VM name the request must concern (create: <c>source_vm.name</c>; context routes: the route's VM); <see langword="null"/> for any.</summary>
    public string? VmName { get; init; }

    /// <summary>Gets how many requests the fault applies to; 0 means every matching request.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Gets the probability (0–1) that a matching request is hit, drawn from the simulator's seed.</summary>
    public double Probability { get; init; } = 1.0;
}

/// <summary>The faults to inject. Thread-safe and deterministic under the simulator's seed.</summary>
public sealed class FaultPlan
{
    private readonly Lock _lock = new();
    private readonly List<(FaultRule Rule, int Used)> _rules = [];
    private readonly Random _random;

    internal FaultPlan(int seed) => _random = new Random(seed);

    /// <summary>Adds a fault.</summary>
    /// <param name="rule">The fault.</param>
    /// <returns>This plan.</returns>
    public FaultPlan Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_lock)
        {
            _rules.Add((rule, 0));
        }

        return this;
    }

    /// <summary>Gets every fault with how many requests it has hit so far (a soak's fault tally).</summary>
    public IReadOnlyList<(FaultRule Rule, int Applied)> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    internal TimeSpan Jitter(TimeSpan max)
    {
        lock (_lock)
        {
            return max <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(_random.NextDouble() * max.Ticks));
        }
    }

    internal List<FaultRule> Take(string appliance, string endpoint, string? vmName)
    {
        var hits = new List<FaultRule>();
        lock (_lock)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, used) = _rules[i];
                if ((rule.Endpoint != endpoint && !IsWholeAppliance(rule.Endpoint, appliance)) || (rule.VmName is not null && !string.Equals(rule.VmName, vmName, StringComparison.OrdinalIgnoreCase))
                    || (rule.Times > 0 && used >= rule.Times) || _random.NextDouble() >= rule.Probability)
                {
                    continue;
                }

                _rules[i] = (rule, used + 1);
                hits.Add(rule);
            }
        }

        return hits;
    }

    /// <summary>Whether <paramref name="endpoint"/> is <c>"{appliance} *"</c>, without building that text per rule and request.</summary>
    private static bool IsWholeAppliance(string endpoint, string appliance) =>
        endpoint.Length == appliance.Length + 2 && endpoint.StartsWith(appliance, StringComparison.Ordinal) && endpoint.EndsWith(" *", StringComparison.Ordinal);
}
