using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Diagnostics;

/// <summary>Log events of the job builder and submitter.</summary>
internal static partial class JobLog
{
    [LoggerMessage(1100, LogLevel.Information, "VM {VmName} ({VmId}) drifted from its recorded spec ({ChangeCount} changes): {Drift}")]
    public static partial void DriftFound(ILogger logger, string vmName, string vmId, int changeCount, string drift);

    [LoggerMessage(1101, LogLevel.Warning, "VM {VmName}: {Warning}")]
    public static partial void PlanWarning(ILogger logger, string vmName, string warning);

    [LoggerMessage(1110, LogLevel.Information, "Submission for VM {VmName}: {Status}, job {JobId}: {Reason}")]
    private static partial void SubmittedCore(ILogger logger, string vmName, string status, string jobId, string reason);

    [LoggerMessage(1111, LogLevel.Warning, "Create for VM {VmName} had an unknown outcome; reconciling through its VM context (baseline job {BaselineJobId})")]
    private static partial void ReconcilingCore(ILogger logger, string vmName, string baselineJobId);

    [LoggerMessage(1113, LogLevel.Warning, "VM {VmName}: the create failed after its job row may have been made; the OMA could not be read to find it (attempt {Attempt}: {Error}); reading again")]
    public static partial void ProbeRetry(ILogger logger, string vmName, int attempt, string error);

    [LoggerMessage(1112, LogLevel.Information, "Reconciled VM {VmName}: {Result}, job {JobId}")]
    private static partial void ReconciledCore(ILogger logger, string vmName, string result, string jobId);

    // Missing ids and reasons are said in words: a log line never reads "(null)".
    public static void Submitted(ILogger logger, string vmName, string status, string? jobId, string? reason) =>
        SubmittedCore(logger, vmName, status, jobId ?? "none", string.IsNullOrEmpty(reason) ? "no further detail" : reason);

    public static void Reconciling(ILogger logger, string vmName, string? baselineJobId) => ReconcilingCore(logger, vmName, baselineJobId ?? "none");

    public static void Reconciled(ILogger logger, string vmName, string result, string? jobId) => ReconciledCore(logger, vmName, result, jobId ?? "none");
}
