using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Oma;

/// <summary>The response of <c>GET /api/v1/vm-contexts</c>.</summary>
public sealed record VmContextList
{
    /// <summary>Gets the contexts.</summary>
    [AllowNull]
    public IReadOnlyList<VmContext> VmContexts { get => field; init => field = value ?? []; } = [];

    /// <summary>Gets the count the OMA reported.</summary>
    public int Count { get; init; }
}
