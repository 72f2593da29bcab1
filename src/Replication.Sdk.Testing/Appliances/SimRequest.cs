using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Testing;

/// <summary>A request as a simulated handler sees it.</summary>
/// <param name="Http">The ASP.NET Core context (route values, headers).</param>
/// <param name="Body">The body as received.</param>
/// <param name="Latency">The injected latency; a handler that models its own timing (the OMA's create) spends it inside its work.</param>
/// <param name="Faults">The faults that hit this request.</param>
/// <param name="Stopping">Cancelled when the simulator stops. A handler keeps working when its client hangs up, as a Go handler does.</param>
internal sealed record SimRequest(HttpContext Http, string Body, TimeSpan Latency, IReadOnlyList<FaultRule> Faults, CancellationToken Stopping)
{
    public string Route(string name) => (string)Http.Request.RouteValues[name]!;

    public bool Has(FaultKind kind) => Faults.Any(f => f.Kind == kind);
}
