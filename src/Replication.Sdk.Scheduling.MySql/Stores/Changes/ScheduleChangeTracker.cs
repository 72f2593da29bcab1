namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// The schedule rows the store last read, by fingerprint, and the markers they were read under: a poll compares markers
/// (one aggregate statement), re-reads only the rows the markers point at, and names the schedules whose fingerprint
/// changed, appeared or disappeared. Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class ScheduleChangeTracker
{
    /// <summary>
    /// How far before the newest <c>updated_at</c> a poll looks: an edit whose transaction commits after a poll saw a newer
    /// one is found if it committed within this time. Anything older is left to the periodic full reconcile.
    /// </summary>
    public static readonly TimeSpan LateCommitWindow = TimeSpan.FromMinutes(2);

    private Dictionary<string, ScheduleRowState> _rows = new(StringComparer.Ordinal);

    /// <summary>Gets the markers of the last read, or <see langword="null"/> before the first full read.</summary>
    public ScheduleMarkers? Markers { get; private set; }

    public bool IsKnown => Markers is not null;

    public int Count => _rows.Count;

    public IReadOnlyDictionary<string, ScheduleRowState> Rows => _rows;

    /// <summary>The start of a table's late-commit window: shortly before the newest <c>updated_at</c> seen (its end).</summary>
    public static DateTime Cutoff(DateTime? newest) =>
        newest is { } n && n - DateTime.MinValue > LateCommitWindow ? n - LateCommitWindow : DateTime.MinValue;

    /// <summary>
    /// What a poll reads again of one table, given its marker as known and as just read: <see langword="null"/> when
    /// nothing moved; else the rows after the known newest edit (or from it, while that edit is young enough that another
    /// in the same tick would not show), or from the start of the window when its checksum moved (a late commit, a
    /// re-edit or deletion of a recent row, or a window that moved with the newest edit).
    /// </summary>
    public static (string Operator, DateTime From)? ReRead(TableMarker known, TableMarker now, DateTime knownDatabaseNow)
    {
        var basis = known.Newest ?? DateTime.MinValue;
        if (!now.WindowComparableWith(known) || now.Window != known.Window)
        {
            return (">=", Cutoff(known.Newest));
        }

        if (known.IsHot(knownDatabaseNow))
        {
            return (">=", basis);
        }

        return now.Newest != known.Newest || now.Count != known.Count ? (">", basis) : null;
    }

    /// <summary>A full read: every row is replaced. Returns the schedules that differ from before (none on the first read).</summary>
    public List<string> ReplaceAll(IReadOnlyDictionary<string, ScheduleRowState> rows, ScheduleMarkers markers)
    {
        var changed = new List<string>();
        if (IsKnown)
        {
            changed.AddRange(rows.Where(r => !_rows.TryGetValue(r.Key, out var old) || old != r.Value).Select(r => r.Key));
            changed.AddRange(_rows.Keys.Where(k => !rows.ContainsKey(k)));
        }

        _rows = new Dictionary<string, ScheduleRowState>(rows, StringComparer.Ordinal);
        Markers = markers;
        return changed;
    }

    /// <summary>
    /// Some rows were read again: <paramref name="found"/> holds those that exist, and every other id in
    /// <paramref name="checkedIds"/> no longer does. Returns the schedules that changed.
    /// </summary>
    public List<string> Apply(IEnumerable<string> checkedIds, IReadOnlyDictionary<string, ScheduleRowState> found, ScheduleMarkers markers)
    {
        var changed = new List<string>();
        foreach (var id in checkedIds.Concat(found.Keys).Distinct(StringComparer.Ordinal))
        {
            if (found.TryGetValue(id, out var now))
            {
                if (!_rows.TryGetValue(id, out var old) || old != now)
                {
                    _rows[id] = now;
                    changed.Add(id);
                }
            }
            else if (_rows.Remove(id))
            {
                changed.Add(id);
            }
        }

        Markers = markers;
        return changed;
    }

    /// <summary>
    /// Whether the re-read rows explain each table's new count; a table they do not explain had a deletion (or an insert
    /// with an old <c>updated_at</c>) and is compared key by key.
    /// </summary>
    public (bool Schedules, bool Settings, bool Blackouts) Unexplained(IReadOnlyDictionary<string, ScheduleRowState> found, ScheduleMarkers markers)
    {
        var known = Markers!;
        long newSchedules = 0, settingsDelta = 0, blackoutsDelta = 0;
        foreach (var (id, now) in found)
        {
            var had = _rows.TryGetValue(id, out var old);
            newSchedules += had ? 0 : 1;
            settingsDelta += (now.HasSettings ? 1 : 0) - (had && old.HasSettings ? 1 : 0);
            blackoutsDelta += now.Blackouts - (had ? old.Blackouts : 0);
        }

        return (markers.Schedules.Count != known.Schedules.Count + newSchedules,
            markers.Settings.Count != known.Settings.Count + settingsDelta,
            markers.Blackouts.Count != known.Blackouts.Count + blackoutsDelta);
    }
}
