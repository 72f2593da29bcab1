namespace Replication.Sdk.Vma;

/// <summary>What a VMA error means, read from its status and text body.</summary>
public enum VmaErrorKind
{
    /// <summary>An error the SDK does not classify.</summary>
    Other,

    /// <summary>400: the VMA could not read the request.</summary>
    BadRequest,

    /// <summary>404: unknown route or job.</summary>
    NotFound,

    /// <summary>500: the VMA could not reach vCenter (transient).</summary>
    VCenterUnreachable,

    /// <summary>500: vCenter refused the credentials (permanent; the VMA reports it as 500, not 401).</summary>
    VCenterLoginFailed,

    /// <summary>500: the datacenter does not exist in vCenter (permanent).</summary>
    DatacenterNotFound,

    /// <summary>500: vCenter timed out listing VMs (transient).</summary>
    VCenterTimeout,

    /// <summary>408, 429, 502, 503 or 504: the VMA or a proxy is busy or down (transient).</summary>
    Unavailable,
}
