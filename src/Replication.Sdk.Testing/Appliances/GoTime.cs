using System.Globalization;

namespace Replication.Sdk.Testing;

/// <summary>Go's RFC 3339 "nano" format: fraction digits without trailing zeros (none at all for whole seconds).</summary>
internal static class GoTime
{
    public static string Format(DateTimeOffset value)
    {
        var fraction = (value.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "");
        return value.Offset == TimeSpan.Zero ? text + "Z" : text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
