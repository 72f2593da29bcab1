namespace Replication.Sdk.Samples.Console;

/// <summary>The sample's exit codes (documented in docs/getting-started.md).</summary>
public static class ExitCodes
{
    /// <summary>Every execution finished and every VM it attempted completed its job (or <c>--help</c>).</summary>
    public const int Success = 0;

    /// <summary>An execution failed, completed with errors, or did not finish within <c>Sample:Timeout</c> (or Ctrl+C ended the wait).</summary>
    public const int ExecutionsFailed = 1;

    /// <summary>The configuration is invalid; one line names the key.</summary>
    public const int BadConfiguration = 2;

    /// <summary>An appliance (VMA or OMA) could not be reached, or answered the set-up with an error.</summary>
    public const int ApplianceUnreachable = 3;
}
