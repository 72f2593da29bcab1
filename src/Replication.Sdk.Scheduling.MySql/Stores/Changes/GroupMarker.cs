namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// The change marker of the group tables, read with the schedule markers: the row count of <c>vm_machine_groups</c> and
/// <c>vm_group_memberships</c> and a checksum of every column the store reads of each row. The appliance's memberships
/// have no <c>updated_at</c>, so a windowed marker like <see cref="TableMarker"/> cannot see their edits; a checksum of
/// the whole (narrow) table can, in the scan the marker statement makes anyway. A group change needs no re-plan (groups
/// are read when an occurrence runs), so it only fires the token, naming no schedule.
/// </summary>
internal readonly record struct GroupMarker(long Groups, long GroupChecksum, long Memberships, long MembershipChecksum);
