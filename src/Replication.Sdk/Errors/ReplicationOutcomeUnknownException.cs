namespace Replication.Sdk;

/// <summary>
/// The job-creating POST may have reached the OMA, but no usable answer came back (reset, EOF, timeout, a gateway's 408,
/// 502, 503 or 504, or a success whose body could not be read). The OMA finishes its
/// synchronous work even when it cannot write the answer, so a job may exist. Do not resend: reconcile through the VM
/// context's <c>current_job_id</c> first (the job submitter does this).
/// </summary>
public sealed class ReplicationOutcomeUnknownException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationOutcomeUnknownException"/> class.</summary>
    /// <param name="vmName">The source VM name.</param>
    /// <param name="vmId">The source VMware VM id.</param>
    /// <param name="vcenterHost">The vCenter host.</param>
    /// <param name="requestStartedAt">When the request was started (the SDK's clock).</param>
    /// <param name="innerException">The transport failure, gateway error or unreadable answer.</param>
    public ReplicationOutcomeUnknownException(string vmName, string vmId, string vcenterHost, DateTimeOffset requestStartedAt, Exception? innerException)
        : base($"The outcome of creating a replication job for VM '{vmName}' ({vmId}) on vCenter '{vcenterHost}' is unknown: the request was sent at {requestStartedAt:O} but no usable answer arrived. Reconcile before resending.", innerException)
    {
        VmName = vmName;
        VmId = vmId;
        VCenterHost = vcenterHost;
        RequestStartedAt = requestStartedAt;
    }

    /// <summary>Gets the source VM name.</summary>
    public string VmName { get; }

    /// <summary>Gets the source VMware VM id.</summary>
    public string VmId { get; }

    /// <summary>Gets the vCenter host.</summary>
    public string VCenterHost { get; }

    /// <summary>Gets when the request was started; a reconciled job's <c>created_at</c> should not be earlier (less clock skew).</summary>
    public DateTimeOffset RequestStartedAt { get; }

    /// <summary>Gets a value indicating whether the caller's attempt timeout (rather than a dropped connection) ended the call.</summary>
    public bool IsTimeout => InnerException is TimeoutException or Polly.Timeout.TimeoutRejectedException;
}
