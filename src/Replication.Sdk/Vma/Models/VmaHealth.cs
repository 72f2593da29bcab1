namespace Replication.Sdk.Vma;

/// <summary>The response of <c>GET /api/v1/health</c>. Use it as a liveness probe only.</summary>
public sealed record VmaHealth
{
    /// <summary>Gets the status text, <c>healthy</c> when the VMA is up.</summary>
    public string Status { get => field ?? ""; init; } = "";

    /// <summary>Gets the VMA's clock at the time of the answer.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the uptime as a Go duration string. The appliance's value is not meaningful.</summary>
    public string Uptime { get => field ?? ""; init; } = "";
}
