namespace Replication.Sdk.Serialization;

// Wire-only shapes. Classes, not records: a record's generated ToString would print the credentials.

/// <summary>The body of <c>POST /api/v1/discover</c>, credentials included.</summary>
internal sealed class VmaDiscoverWireRequest
{
    public required string Vcenter { get; init; }

    public required string Username { get; init; }

    public required string Password { get; init; }

    public required string Datacenter { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Filter { get; init; }

    public override string ToString() => $"discover {Datacenter} on {Vcenter}";
}

/// <summary>The body of <c>POST /api/v1/auth/login</c>.</summary>
internal sealed class OmaLoginWireRequest
{
    public required string ApplianceId { get; init; }

    public required string Token { get; init; }

    public required string Version { get; init; }

    public override string ToString() => $"login as {ApplianceId}";
}

/// <summary>The answer of <c>POST /api/v1/auth/login</c>, success or 401.</summary>
internal sealed class OmaLoginWireResponse
{
    public bool Success { get; init; }

    public string? SessionToken { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? ErrorMessage { get; init; }

    public override string ToString() => $"login success={Success}";
}

/// <summary>Both OMA error shapes: <c>{error, details, timestamp}</c> and <c>{error, timestamp}</c>.</summary>
internal sealed class OmaErrorWireBody
{
    public string? Error { get; init; }

    public string? Details { get; init; }

    public string? Timestamp { get; init; }

    // The login route's 401 uses this instead of "error".
    public string? ErrorMessage { get; init; }
}
