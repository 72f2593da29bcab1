using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>
/// Go's RFC 3339 "nano" format: up to 9 fraction digits without trailing zeros (none for whole seconds). .NET clocks have
/// 100 ns ticks, so the two nanosecond digits Go would print are derived from the instant itself — stable for an instant,
/// and enough to make every reader of the simulator handle 9-digit fractions.
/// </summary>
internal static class GoTime
{
    public static string Format(DateTimeOffset value)
    {
        var ticks = value.Ticks % TimeSpan.TicksPerSecond;
        var fraction = ticks == 0
            ? ""
            : (ticks.ToString("0000000", CultureInfo.InvariantCulture) + (1 + (value.UtcTicks % 97)).ToString("00", CultureInfo.InvariantCulture)).TrimEnd('0');
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "");
        return value.Offset == TimeSpan.Zero ? text + "Z" : text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
