namespace Replication.Sdk.Vma;

/// <summary>
/// What to discover: one vCenter datacenter, optionally narrowed by VM name terms.
/// </summary>
/// <remarks>
/// Credentials are deliberately not part of the request: the client resolves them per vCenter host through
/// <see cref="Credentials.IVCenterCredentialProvider"/>, so callers never hold a vCenter password.
/// The VMA matches each name filter as a case-insensitive <em>substring</em> of the VM name; exact selection
/// is the caller's job (the job builder does it).
/// </remarks>
public sealed record DiscoverVmsRequest
{
    /// <summary>Gets the vCenter host name or IP address (no scheme, no path).</summary>
    public required string VCenterHost { get; init; }

    /// <summary>Gets the datacenter name, sent verbatim.</summary>
    public required string Datacenter { get; init; }

    /// <summary>Gets the name filter terms; empty means every VM in the datacenter. Joined with commas on the wire.</summary>
    public IReadOnlyList<string> NameFilters { get; init; } = [];
}
