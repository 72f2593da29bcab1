using System.Text.Json.Serialization;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Oma;

/// <summary>
/// An OMA replication job status. String-backed, so a status a newer appliance invents still round-trips;
/// such an unknown status is treated as non-terminal (the job is presumed to be still running).
/// </summary>
[JsonConverter(typeof(ReplicationJobStatusConverter))]
public readonly struct ReplicationJobStatus : IEquatable<ReplicationJobStatus>
{
    private readonly string? _value;

    /// <summary>Initializes a new instance of the <see cref="ReplicationJobStatus"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ReplicationJobStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Gets the <c>pending</c> status (the database default; counted as active).</summary>
    public static ReplicationJobStatus Pending { get; } = new("pending");

    /// <summary>Gets the <c>initializing</c> status.</summary>
    public static ReplicationJobStatus Initializing { get; } = new("initializing");

    /// <summary>Gets the <c>analyzing</c> status.</summary>
    public static ReplicationJobStatus Analyzing { get; } = new("analyzing");

    /// <summary>Gets the <c>provisioning</c> status.</summary>
    public static ReplicationJobStatus Provisioning { get; } = new("provisioning");

    /// <summary>Gets the <c>attaching</c> status.</summary>
    public static ReplicationJobStatus Attaching { get; } = new("attaching");

    /// <summary>Gets the <c>configuring</c> status.</summary>
    public static ReplicationJobStatus Configuring { get; } = new("configuring");

    /// <summary>Gets the <c>ready_for_sync</c> status.</summary>
    public static ReplicationJobStatus ReadyForSync { get; } = new("ready_for_sync");

    /// <summary>Gets the <c>replicating</c> status.</summary>
    public static ReplicationJobStatus Replicating { get; } = new("replicating");

    /// <summary>Gets the <c>snapshotting</c> status.</summary>
    public static ReplicationJobStatus Snapshotting { get; } = new("snapshotting");

    /// <summary>Gets the <c>finalizing</c> status.</summary>
    public static ReplicationJobStatus Finalizing { get; } = new("finalizing");

    /// <summary>Gets the <c>completed</c> status (terminal, success).</summary>
    public static ReplicationJobStatus Completed { get; } = new("completed");

    /// <summary>Gets the <c>failed</c> status (terminal).</summary>
    public static ReplicationJobStatus Failed { get; } = new("failed");

    /// <summary>Gets the <c>cancelled</c> status (terminal).</summary>
    public static ReplicationJobStatus Cancelled { get; } = new("cancelled");

    /// <summary>Gets the <c>replication_failed</c> status (terminal: the VMA transfer could not start).</summary>
    public static ReplicationJobStatus ReplicationFailed { get; } = new("replication_failed");

    /// <summary>Gets the <c>stopped</c> status (GUI only; treated as terminal).</summary>
    public static ReplicationJobStatus Stopped { get; } = new("stopped");

    /// <summary>Gets the wire value; empty for a default instance.</summary>
    public string Value => _value ?? "";

    /// <summary>Gets a value indicating whether the job can no longer change: completed, failed, cancelled, replication_failed or stopped.</summary>
    /// <remarks>Unknown values are not terminal: a job whose status the SDK does not know is presumed active.</remarks>
    public bool IsTerminal => Value switch
    {
        "completed" or "failed" or "cancelled" or "replication_failed" or "stopped" => true,
        _ => false,
    };

    /// <summary>Gets a value indicating whether the job ended in success.</summary>
    public bool IsSuccess => Value == "completed";

    /// <summary>Gets a value indicating whether the status is one the SDK knows.</summary>
    public bool IsKnown => Value switch
    {
        "pending" or "initializing" or "analyzing" or "provisioning" or "attaching" or "configuring" or "ready_for_sync"
            or "replicating" or "snapshotting" or "finalizing" => true,
        _ => IsTerminal,
    };

    /// <summary>Compares two statuses by wire value (ordinal).</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    /// <returns><see langword="true"/> when the wire values are equal.</returns>
    public static bool operator ==(ReplicationJobStatus left, ReplicationJobStatus right) => left.Equals(right);

    /// <summary>Compares two statuses by wire value (ordinal).</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    /// <returns><see langword="true"/> when the wire values differ.</returns>
    public static bool operator !=(ReplicationJobStatus left, ReplicationJobStatus right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ReplicationJobStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReplicationJobStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
