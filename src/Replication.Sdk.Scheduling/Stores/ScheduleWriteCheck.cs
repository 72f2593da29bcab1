namespace Replication.Sdk.Scheduling;

/// <summary>
/// What every <see cref="IScheduleStoreWriter"/> checks before it writes: the scheduler's own rules (<see cref="ScheduleValidator"/>),
/// so a store never holds a schedule the scheduler would refuse to run, plus what the store itself cannot hold; and
/// the ids every store can hold (<see cref="ScheduleIds"/>), checked first.
/// </summary>
internal static class ScheduleWriteCheck
{
    /// <summary>
    /// A conditional write's check, made by the store where it is atomic with the write (under its lock, in its
    /// transaction) and before anything is written: refuses the write when <paramref name="precondition"/> (if any) does
    /// not hold for <paramref name="current"/>, the entity the store holds for <paramref name="target"/> now.
    /// </summary>
    public static void Precondition<T>(Func<T?, bool>? precondition, T? current, PauseTarget target)
        where T : class
    {
        if (precondition is not null && !precondition(current))
        {
            throw new ScheduleWritePreconditionFailedException(target, exists: current is not null);
        }
    }

    public static void Schedule(ReplicationSchedule schedule, IScheduleEvaluator evaluator, IEnumerable<string>? storeProblems = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ScheduleIds.CheckSchedule(schedule.Id);
        var problems = ScheduleValidator.Validate(schedule, null, evaluator).ToList();
        if (string.IsNullOrWhiteSpace(schedule.Name))
        {
            problems.Add("Name is required");
        }

        if (WindowsZoneProblem(schedule.TimeZone) is { } zone)
        {
            problems.Add(zone);
        }

        problems.AddRange(storeProblems ?? []);
        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(schedule.Id, problems);
        }
    }

    /// <summary>
    /// A Windows zone id ("Eastern Standard Time") resolves on this host, but a store is read by others too: the
    /// appliance's own scheduler and GUI know IANA ids only. So a write names the IANA id to use instead.
    /// </summary>
    private static string? WindowsZoneProblem(string? timeZone)
    {
        var id = timeZone?.Trim();
        return string.IsNullOrEmpty(id) || TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _) || !TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana)
            ? null
            : $"TimeZone '{id}' is a Windows time zone id; a store holds IANA ids, which the appliance also reads: use '{iana}'";
    }

    public static void Group(MachineGroup group, IEnumerable<string>? storeProblems = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ScheduleIds.CheckGroup(group.Id);
        if (group.ScheduleId is not null)
        {
            ScheduleIds.CheckSchedule(group.ScheduleId);
        }

        var problems = new List<string>();
        if (ScheduleRules.Problem(group) is { } problem)
        {
            problems.Add(problem);
        }

        if (string.IsNullOrWhiteSpace(group.Name))
        {
            problems.Add($"group '{group.Id}': Name is required");
        }

        problems.AddRange(storeProblems ?? []);
        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(group.ScheduleId ?? group.Id, problems);
        }
    }

    public static void Membership(GroupMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ScheduleIds.CheckGroup(membership.GroupId);
        ScheduleIds.CheckVmContext(membership.VmContextId);
    }
}
