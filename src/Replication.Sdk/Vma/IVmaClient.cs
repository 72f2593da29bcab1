namespace Replication.Sdk.Vma;

/// <summary>The VMA's REST API: discovery and job read-outs. Every call is read-only and retried on transient failures.</summary>
public interface IVmaClient
{
    /// <summary>Discovers the VMs of a vCenter datacenter as they are now (<c>POST /api/v1/discover</c>).</summary>
    /// <param name="request">The vCenter, datacenter and optional name filters.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The inventory. Filters match substrings: select the exact VM yourself (or use the job builder).</returns>
    /// <exception cref="VmaApiException">The VMA answered with an error; see <see cref="VmaApiException.Kind"/>.</exception>
    /// <exception cref="ReplicationTransportException">No answer after retries, or a timeout.</exception>
    /// <exception cref="ReplicationResponseFormatException">The answer was not a readable inventory.</exception>
    /// <exception cref="ReplicationConfigurationException">No credentials are known for the vCenter host.</exception>
    Task<VmInventory> DiscoverAsync(DiscoverVmsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads the VMA's liveness (<c>GET /api/v1/health</c>).</summary>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The health answer.</returns>
    Task<VmaHealth> GetHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a VMA job's status (<c>GET /api/v1/status/{job_id}</c>). The VMA forgets jobs on restart.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="VmaApiException">With <see cref="VmaErrorKind.NotFound"/> when the VMA does not know the job.</exception>
    Task<VmaJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Reads a VMA job's detailed progress (<c>GET /api/v1/progress/{jobId}</c>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="VmaApiException">With <see cref="VmaErrorKind.NotFound"/> when the VMA does not know the job.</exception>
    Task<VmaProgress> GetProgressAsync(string jobId, CancellationToken cancellationToken = default);
}
