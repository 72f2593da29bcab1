using System.Reflection;

namespace Replication.Sdk.Diagnostics;

/// <summary>The names under which the SDK publishes traces and metrics; subscribe to them with OpenTelemetry or dotnet-counters.</summary>
public static class ReplicationDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name of the appliance clients: <c>Replication.Sdk</c>.</summary>
    public const string ActivitySourceName = "Replication.Sdk";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of the appliance clients: <c>Replication.Sdk</c>.</summary>
    public const string MeterName = "Replication.Sdk";

    /// <summary>Counter of appliance calls, tagged <c>replication.appliance</c>, <c>replication.endpoint</c>, <c>http.response.status_code</c>, <c>replication.outcome</c>.</summary>
    public const string RequestsInstrument = "replication.client.requests";

    /// <summary>Histogram of appliance call durations in seconds (all attempts included), same tags as <see cref="RequestsInstrument"/>.</summary>
    public const string RequestDurationInstrument = "replication.client.request.duration";

    /// <summary>Counter of failed appliance calls, same tags plus <c>error.type</c>.</summary>
    public const string ErrorsInstrument = "replication.client.errors";

    /// <summary>Counter of retried attempts, tagged <c>replication.appliance</c> and <c>replication.endpoint</c>.</summary>
    public const string RetriesInstrument = "replication.client.retries";

    /// <summary>Gets the version the meter and activity source report: the package version (without a source revision suffix).</summary>
    public static string Version { get; } = VersionOf(typeof(ReplicationDiagnostics).Assembly);

    private static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "0.0.0";

        // SourceLink appends "+<commit>".
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
