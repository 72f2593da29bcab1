namespace Replication.Sdk.Oma;

/// <summary>
/// A host's last word before a job-creating request (<c>POST /api/v1/replications</c>) leaves the process. The OMA client
/// asks every registered gate as the innermost step of its HTTP pipeline, after authentication and any pause, so the
/// answer is as fresh as it can be. The scheduler registers one that refuses while its instance lease is not proven
/// current: a process that resumes after another instance took its work over sends no create.
/// </summary>
public interface IJobCreationGate
{
    /// <summary>Completes when the create may be sent; throws to stop it.</summary>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the create may be sent.</returns>
    /// <remarks>Whatever it throws reaches the caller as a <see cref="JobCreationRefusedException"/>: nothing was sent.</remarks>
    ValueTask EnsureMaySendAsync(CancellationToken cancellationToken);
}
