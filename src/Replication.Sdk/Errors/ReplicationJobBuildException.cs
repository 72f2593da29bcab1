namespace Replication.Sdk;

/// <summary>A job could not be built from the fresh discovery. Permanent for that discovery: retrying the same data fails the same way.</summary>
public class ReplicationJobBuildException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationJobBuildException"/> class.</summary>
    /// <param name="vmName">The target VM name.</param>
    /// <param name="message">What is wrong.</param>
    public ReplicationJobBuildException(string vmName, string message)
        : base(message)
    {
        VmName = vmName;
    }

    /// <summary>Gets the target VM name.</summary>
    public string VmName { get; }
}

/// <summary>The request would leave the VM blocked on the OMA, or a required setting is missing. Nothing was sent.</summary>
public sealed class ReplicationJobValidationException : ReplicationJobBuildException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationJobValidationException"/> class.</summary>
    /// <param name="vmName">The target VM name.</param>
    /// <param name="problems">Every problem found.</param>
    public ReplicationJobValidationException(string vmName, IReadOnlyList<string> problems)
        : base(vmName, $"Cannot build a replication job for VM '{vmName}': {string.Join("; ", problems ?? [])}.")
    {
        Problems = problems ?? [];
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>No discovered VM has the target's name (or id). Lists near matches to help spot a rename or a typo.</summary>
public sealed class VmNotFoundException : ReplicationJobBuildException
{
    /// <summary>Initializes a new instance of the <see cref="VmNotFoundException"/> class.</summary>
    /// <param name="vmName">The target VM name.</param>
    /// <param name="vcenterHost">The vCenter searched.</param>
    /// <param name="datacenter">The datacenter searched.</param>
    /// <param name="nearMatches">Names of VMs that contain the name or are contained in it.</param>
    public VmNotFoundException(string vmName, string vcenterHost, string datacenter, IReadOnlyList<string> nearMatches)
        : base(vmName, nearMatches is { Count: > 0 }
            ? $"VM '{vmName}' was not found in datacenter '{datacenter}' on vCenter '{vcenterHost}'. Near matches: {string.Join(", ", nearMatches)}."
            : $"VM '{vmName}' was not found in datacenter '{datacenter}' on vCenter '{vcenterHost}'.")
    {
        NearMatches = nearMatches ?? [];
    }

    /// <summary>Gets names of VMs that look like the target's.</summary>
    public IReadOnlyList<string> NearMatches { get; }
}

/// <summary>Several discovered VMs match the target; the builder never picks one at random.</summary>
public sealed class VmAmbiguousException : ReplicationJobBuildException
{
    /// <summary>Initializes a new instance of the <see cref="VmAmbiguousException"/> class.</summary>
    /// <param name="vmName">The target VM name.</param>
    /// <param name="candidates">The candidates, as "name (id) at path".</param>
    public VmAmbiguousException(string vmName, IReadOnlyList<string> candidates)
        : base(vmName, $"VM name '{vmName}' matches {candidates?.Count ?? 0} VMs; set the VMware VM id or path on the target to choose: {string.Join("; ", candidates ?? [])}.")
    {
        Candidates = candidates ?? [];
    }

    /// <summary>Gets the candidates.</summary>
    public IReadOnlyList<string> Candidates { get; }
}

/// <summary>The VM with the target's name has a different VMware id than recorded: it was replaced.</summary>
public sealed class VmIdentityChangedException : ReplicationJobBuildException
{
    /// <summary>Initializes a new instance of the <see cref="VmIdentityChangedException"/> class.</summary>
    /// <param name="vmName">The target VM name.</param>
    /// <param name="expectedId">The recorded id.</param>
    /// <param name="actualId">The discovered id.</param>
    public VmIdentityChangedException(string vmName, string expectedId, string actualId)
        : base(vmName, $"VM '{vmName}' now has VMware id '{actualId}' but '{expectedId}' was recorded: the VM was replaced. Update the record, or set IdentityChangePolicy to ProceedWithWarning.")
    {
        ExpectedId = expectedId;
        ActualId = actualId;
    }

    /// <summary>Gets the recorded id.</summary>
    public string ExpectedId { get; }

    /// <summary>Gets the discovered id.</summary>
    public string ActualId { get; }
}
