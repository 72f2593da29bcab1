namespace Replication.Sdk.Scheduling.MySql;

/// <summary>A schedule row read: its id, the schedule when it is usable (else <see langword="null"/>: an invalid value, logged), and its tracked state.</summary>
internal sealed record ScheduleRow(string Id, ReplicationSchedule? Schedule, ScheduleRowState State);
