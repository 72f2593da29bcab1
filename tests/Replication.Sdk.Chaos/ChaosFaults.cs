using Replication.Sdk.Testing;

namespace Replication.Sdk.Chaos;

/// <summary>Every fault kind the simulator can inject, each at the soak's rate on the routes where the real appliances produce it.</summary>
internal static class ChaosFaults
{
    private const string Create = "POST /api/v1/replications";
    private const string Discover = "POST /api/v1/discover";
    private const string Job = "GET /api/v1/replications/{id}";
    private const string Context = "GET /api/v1/vm-contexts/{vm_name}";
    private const string Login = "POST /api/v1/auth/login";

    public static void Add(FaultPlan faults, double rate)
    {
        Rule(faults, Create, FaultKind.Error, rate, status: 503);
        Rule(faults, Create, FaultKind.Error, rate, status: 502);
        Rule(faults, Create, FaultKind.ResetBeforeEffect, rate);
        Rule(faults, Create, FaultKind.ResetAfterEffect, rate);
        Rule(faults, Create, FaultKind.TruncatedJson, rate);
        Rule(faults, Create, FaultKind.MalformedJson, rate);
        Rule(faults, Create, FaultKind.WorkflowFailure, rate);
        Rule(faults, Create, FaultKind.Latency, rate, latency: TimeSpan.FromSeconds(20)); // past the OMA's 15 s write timeout
        Rule(faults, Discover, FaultKind.Error, rate, status: 500);
        Rule(faults, Discover, FaultKind.TruncatedJson, rate);
        Rule(faults, Discover, FaultKind.MalformedJson, rate);
        Rule(faults, Discover, FaultKind.ResetBeforeEffect, rate);
        Rule(faults, Job, FaultKind.Error, rate, status: 503);
        Rule(faults, Job, FaultKind.MalformedJson, rate);
        Rule(faults, Job, FaultKind.TruncatedJson, rate);
        Rule(faults, Context, FaultKind.Error, rate, status: 503);
        Rule(faults, Context, FaultKind.TruncatedJson, rate);
        Rule(faults, Login, FaultKind.Error, rate, status: 503);
        Rule(faults, "OMA *", FaultKind.ExpireSessions, rate / 2);
        Rule(faults, "OMA *", FaultKind.Down, rate / 4);
        Rule(faults, "OMA *", FaultKind.Latency, rate, latency: TimeSpan.FromSeconds(1), jitter: TimeSpan.FromSeconds(4));
    }

    /// <summary>Names a fault for the report: kind, status, route.</summary>
    public static string Name(FaultRule rule) =>
        rule.Kind == FaultKind.Error ? $"{rule.Status} on {rule.Endpoint}" : $"{rule.Kind} on {rule.Endpoint}";

    private static void Rule(FaultPlan faults, string endpoint, FaultKind kind, double rate, int status = 500, TimeSpan latency = default, TimeSpan jitter = default) =>
        faults.Add(new FaultRule { Endpoint = endpoint, Kind = kind, Status = status, Latency = latency, LatencyJitter = jitter, Probability = rate, Times = 0 });
}
