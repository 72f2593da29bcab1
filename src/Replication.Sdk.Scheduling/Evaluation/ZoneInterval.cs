namespace Replication.Sdk.Scheduling;

/// <summary>
/// A span [<see cref="StartTicks"/>, <see cref="EndTicks"/>) of UTC ticks in which a zone's offset is constant, with the
/// offsets just before it and from its end on. Wall time in it is UTC plus <see cref="Offset"/>: nothing is skipped or repeated.
/// </summary>
internal sealed record ZoneInterval(long StartTicks, long EndTicks, TimeSpan PreviousOffset, TimeSpan Offset, TimeSpan NextOffset)
{
    public bool Contains(long utcTicks) => utcTicks >= StartTicks && utcTicks < EndTicks;
}
