namespace Replication.Sdk.Oma;

/// <summary>The OMA's REST API: replication jobs and VM contexts, through the same routes the GUI uses.</summary>
public interface IOmaClient
{
    /// <summary>Creates a replication job, or adds a VM to management (<c>POST /api/v1/replications</c>). Never retried.</summary>
    /// <param name="request">The request; build it from fresh discovery with the job builder.</param>
    /// <param name="cancellationToken">
    /// A token to cancel the call. Cancelling after the call started raises <see cref="OperationCanceledException"/>,
    /// but the OMA may still create the job: treat it as outcome unknown and reconcile.
    /// </param>
    /// <returns>A <see cref="ReplicationJobStarted"/> or a <see cref="VmAddedToManagement"/>.</returns>
    /// <exception cref="ArgumentException">The request would leave the VM blocked on the OMA (no disks, a disk without path, config id not positive…).</exception>
    /// <exception cref="OmaActiveJobConflictException">409: the VM's context has a current job.</exception>
    /// <exception cref="OmaVmAlreadyManagedException">409: the VM is already managed (add-to-management only).</exception>
    /// <exception cref="OmaApiException">Any other error answer (400, 500…).</exception>
    /// <exception cref="ReplicationOutcomeUnknownException">The request may have been sent but no answer came (reset, EOF, timeout).</exception>
    /// <exception cref="ReplicationTransportException">The connection could not be made: nothing was sent; safe to try again.</exception>
    Task<CreateReplicationResult> CreateReplicationAsync(CreateReplicationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a job's full status (<c>GET /api/v1/replications/{id}</c>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The job.</returns>
    /// <exception cref="OmaNotFoundException">The OMA does not know the job.</exception>
    Task<ReplicationJob> GetReplicationJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a job and its volumes (<c>DELETE /api/v1/replications/{id}</c>). Never retried.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>What the deletion did.</returns>
    /// <exception cref="OmaApiException">409 <c>Cannot delete job</c>, 404, or another error.</exception>
    Task<DeleteReplicationResult> DeleteReplicationJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Lists the VM contexts with their groups (<c>GET /api/v1/vm-contexts</c>).</summary>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The contexts.</returns>
    Task<VmContextList> ListVmContextsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads one VM context by VM name, with its current job and history (<c>GET /api/v1/vm-contexts/{vm_name}</c>).</summary>
    /// <param name="vmName">The VM name (the route's key is the name, not the context id).</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The context details.</returns>
    /// <exception cref="OmaNotFoundException">No context for that VM name.</exception>
    Task<VmContextDetails> GetVmContextAsync(string vmName, CancellationToken cancellationToken = default);

    /// <summary>Reads a context's recent jobs (<c>GET /api/v1/vm-contexts/{context_id}/recent-jobs</c>).</summary>
    /// <param name="contextId">The context id (the route's key is the context id).</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The recent jobs.</returns>
    Task<RecentJobs> GetRecentJobsAsync(string contextId, CancellationToken cancellationToken = default);

    /// <summary>Checks that the OMA answers (<c>GET /health</c>, a public route).</summary>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>A task that completes when the OMA answered with a success status.</returns>
    Task PingAsync(CancellationToken cancellationToken = default);
}
