using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>
/// Go's RFC 3339 "nano" format: up to 9 fraction digits without trailing zeros (none for whole seconds). .NET clocks have
/// 100 ns ticks, so the two nanosecond digits Go would print are derived from the instant itself — stable for an instant,
/// and enough to make every reader of the simulator handle 9-digit fractions. Values read back from the OMA's MySQL
/// columns carry the column's precision instead: milliseconds for job rows, whole seconds for VM contexts.
/// </summary>
internal static class GoTime
{
    public static string Format(DateTimeOffset value)
    {
        var ticks = value.Ticks % TimeSpan.TicksPerSecond;
        var fraction = ticks == 0
            ? ""
            : (ticks.ToString("0000000", CultureInfo.InvariantCulture) + (1 + (value.UtcTicks % 97)).ToString("00", CultureInfo.InvariantCulture)).TrimEnd('0');
        return Compose(value, fraction);
    }

    /// <summary>A <c>DATETIME(3)</c> column: milliseconds, trailing zeros trimmed.</summary>
    public static string Milliseconds(DateTimeOffset value) =>
        Compose(value, (value.Millisecond == 0 ? "" : value.Millisecond.ToString("000", CultureInfo.InvariantCulture)).TrimEnd('0'));

    /// <summary>A <c>DATETIME</c> column: whole seconds.</summary>
    public static string Seconds(DateTimeOffset value) => Compose(value, "");

    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), value.Offset);

    public static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);

    private static string Compose(DateTimeOffset value, string fraction)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "");
        return value.Offset == TimeSpan.Zero ? text + "Z" : text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
