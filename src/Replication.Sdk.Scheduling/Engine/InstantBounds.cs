using System.Globalization;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The instants a range argument (a preview's, a backfill's) may take: a day inside the calendar's ends, so the zone
/// offsets and look-behinds applied to it stay representable and a bad argument is refused with its name, not with an
/// internal "un-representable DateTime".
/// </summary>
internal static class InstantBounds
{
    public static readonly DateTimeOffset Earliest = new(1, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    public static void Require(DateTimeOffset value, string paramName)
    {
        if (value < Earliest || value > Latest)
        {
            throw new ArgumentOutOfRangeException(paramName, value, string.Create(CultureInfo.InvariantCulture, $"{paramName} must lie between {Earliest:O} and {Latest:O}; was {value:O}."));
        }
    }
}
