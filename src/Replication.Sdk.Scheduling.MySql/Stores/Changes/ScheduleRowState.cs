namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// What the change tracker remembers of one schedule row (usable or not): a fingerprint of every column read with it (its
/// settings and blackouts included), whether it has a settings row, and how many blackout rows.
/// </summary>
internal readonly record struct ScheduleRowState(int Fingerprint, bool HasSettings, int Blackouts);
