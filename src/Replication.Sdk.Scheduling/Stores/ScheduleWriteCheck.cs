namespace Replication.Sdk.Scheduling;

/// <summary>
/// What every <see cref="IScheduleStoreWriter"/> checks before it writes: the scheduler's own rules (<see cref="ScheduleValidator"/>),
/// so a store never holds a schedule the scheduler would refuse to run, plus what the store itself cannot hold.
/// </summary>
internal static class ScheduleWriteCheck
{
    public static void Schedule(ReplicationSchedule schedule, IScheduleEvaluator evaluator, IEnumerable<string>? storeProblems = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule.Id);
        var problems = ScheduleValidator.Validate(schedule, null, evaluator).ToList();
        if (string.IsNullOrWhiteSpace(schedule.Name))
        {
            problems.Add("Name is required");
        }

        problems.AddRange(storeProblems ?? []);
        if (problems.Count > 0)
        {
            throw new InvalidScheduleException(schedule.Id, problems);
        }
    }

    public static void Group(MachineGroup group, IEnumerable<string>? storeProblems = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(group.Id);
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
        ArgumentException.ThrowIfNullOrWhiteSpace(membership.GroupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(membership.VmContextId);
    }
}
