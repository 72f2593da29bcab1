namespace Replication.Sdk;

/// <summary>An <see cref="Oma.IJobCreationGate"/> refused a job-creating request before it was sent: nothing reached the OMA.</summary>
public sealed class JobCreationRefusedException : ReplicationException
{
    /// <summary>Initializes a new instance of the <see cref="JobCreationRefusedException"/> class.</summary>
    /// <param name="innerException">What the gate threw.</param>
    public JobCreationRefusedException(Exception innerException)
        : base($"The job-creating request was not sent: {innerException?.Message}", innerException)
    {
    }
}
