namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// One table's change marker, read in one aggregate: its row count (a deletion lowers it), its newest <c>updated_at</c> (an
/// insert or edit raises it), and a checksum of the (key, <c>updated_at</c>) of the rows in the late-commit window that
/// ends at <see cref="Basis"/>, the newest value the previous read saw (an edit that commits late, with an
/// <c>updated_at</c> older than one already seen, changes it).
/// </summary>
internal readonly record struct TableMarker(long Count, DateTime? Newest, long Window, DateTime? Basis)
{
    /// <summary>Gets a value indicating whether <paramref name="earlier"/>'s window checksum was taken over the same rows' range as this one's.</summary>
    public bool WindowComparableWith(TableMarker earlier) => earlier.Basis == Basis;

    /// <summary>Gets a value indicating whether the newest edit is so recent that another in the same tick would not move <see cref="Newest"/>.</summary>
    public bool IsHot(DateTime databaseNow) => Newest is { } newest && newest >= databaseNow - ScheduleMarkers.SameTick;
}
