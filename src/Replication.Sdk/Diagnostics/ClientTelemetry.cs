using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Replication.Sdk.Diagnostics;

/// <summary>The clients' meter and activity source; a singleton so instruments are created once.</summary>
internal sealed class ClientTelemetry : IDisposable
{
    internal static readonly ActivitySource ActivitySource = new(ReplicationDiagnostics.ActivitySourceName, ReplicationDiagnostics.Version);

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _retries;

    public ClientTelemetry(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(ReplicationDiagnostics.MeterName) { Version = ReplicationDiagnostics.Version };
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _requests = _meter.CreateCounter<long>(ReplicationDiagnostics.RequestsInstrument, "{request}", "Appliance calls made by the SDK.");
        _duration = _meter.CreateHistogram<double>(ReplicationDiagnostics.RequestDurationInstrument, "s", "Duration of appliance calls, retries included.");
        _errors = _meter.CreateCounter<long>(ReplicationDiagnostics.ErrorsInstrument, "{error}", "Appliance calls that failed.");
        _retries = _meter.CreateCounter<long>(ReplicationDiagnostics.RetriesInstrument, "{retry}", "Appliance call attempts that were retried.");
    }

    public static Activity? StartActivity(ApplianceKind appliance, string endpoint)
    {
        if (!ActivitySource.HasListeners())
        {
            // Nothing would record it: skip building the name, two strings per call.
            return null;
        }

        var activity = ActivitySource.StartActivity($"{appliance.ToString().ToUpperInvariant()} {endpoint}", ActivityKind.Client);
        activity?.SetTag("replication.appliance", ApplianceTag(appliance));
        activity?.SetTag("replication.endpoint", endpoint);
        return activity;
    }

    public void RecordCall(ApplianceKind appliance, string endpoint, int? statusCode, string outcome, TimeSpan elapsed, string? errorType)
    {
        var tags = new TagList
        {
            { "replication.appliance", ApplianceTag(appliance) },
            { "replication.endpoint", endpoint },
            { "http.response.status_code", statusCode },
            { "replication.outcome", outcome },
        };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
            _errors.Add(1, tags);
        }
    }

    public void RecordRetry(ApplianceKind appliance, string endpoint) =>
        _retries.Add(1, new TagList { { "replication.appliance", ApplianceTag(appliance) }, { "replication.endpoint", endpoint } });

    public void Dispose() => _meter.Dispose();

    private static string ApplianceTag(ApplianceKind appliance) => appliance == ApplianceKind.Vma ? "vma" : "oma";
}
