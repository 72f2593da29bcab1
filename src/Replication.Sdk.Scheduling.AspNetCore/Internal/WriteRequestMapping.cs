namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Turns a write's body into the scheduler's model, collecting every value it cannot read (an unknown enum name, a window
/// that does not parse) as one <see cref="InvalidScheduleException"/>, like the rules the store then applies. The ids
/// come first: one no store can hold (<see cref="ScheduleIds"/>) is an <see cref="InvalidIdException"/>, whatever the body.
/// </summary>
internal static class WriteRequestMapping
{
    /// <summary>The schedule a body describes; a value it cannot read is refused together with what the engine's rules find in the rest.</summary>
    public static ReplicationSchedule Schedule(string scheduleId, ScheduleRequest? body, IScheduleEvaluator evaluator)
    {
        ScheduleIds.CheckSchedule(scheduleId);
        var problems = new List<string>();
        if (body is null)
        {
            throw new InvalidScheduleException(scheduleId, ["the body (the schedule's settings) is required"]);
        }

        var defaults = new ReplicationSchedule { Id = scheduleId, Name = "", CronExpression = "" };
        var kind = Parse(body.Kind, "Kind", defaults.Kind, problems);
        ReplicationWindow? window = null;
        if (body.Window is not null && !ReplicationWindow.TryParse(body.Window, out window, out var windowError))
        {
            problems.Add($"Window '{body.Window}' is invalid: {windowError}");
        }

        var blackouts = new List<BlackoutPeriod>();
        foreach (var (b, i) in (body.Blackouts ?? []).Select((b, i) => (b, i)))
        {
            if (b is not { From: { } from, To: { } to } || to <= from)
            {
                problems.Add(b is null ? $"blackouts[{i}] is null"
                    : b.From is null || b.To is null ? $"blackouts[{i}] needs both from and to"
                    : $"blackouts[{i}] from {b.From:O} to {b.To:O} does not end after it begins");
                continue;
            }

            blackouts.Add(new BlackoutPeriod(from, to, b.Reason));
        }

        var schedule = defaults with
        {
            Name = body.Name?.Trim() ?? "",
            Kind = kind,
            CronExpression = body.CronExpression?.Trim() ?? "",
            TimeZone = string.IsNullOrWhiteSpace(body.TimeZone) ? defaults.TimeZone : body.TimeZone.Trim(),
            Enabled = body.Enabled ?? defaults.Enabled,
            ReplicationType = Parse(body.ReplicationType, "ReplicationType", defaults.ReplicationType, problems),
            MaxConcurrentJobs = body.MaxConcurrentJobs ?? defaults.MaxConcurrentJobs,
            RetryAttempts = body.RetryAttempts ?? defaults.RetryAttempts,
            RetryDelay = body.RetryDelay ?? defaults.RetryDelay,
            OverlapPolicy = Parse(body.OverlapPolicy, "OverlapPolicy", defaults.OverlapPolicy, problems),
            MisfirePolicy = Parse(body.MisfirePolicy, "MisfirePolicy", defaults.MisfirePolicy, problems),
            StartingDeadline = body.StartingDeadline,
            Spread = body.Spread,
            Window = window,
            OutsideWindowPolicy = Parse(body.OutsideWindowPolicy, "OutsideWindowPolicy", defaults.OutsideWindowPolicy, problems),
            Blackouts = blackouts,
            RpoTarget = body.RpoTarget,
            OsseaConfigId = body.OsseaConfigId,
            TargetNetwork = body.TargetNetwork,
        };
        return problems.Count > 0 ? throw new InvalidScheduleException(scheduleId, [.. problems, .. ScheduleValidator.Validate(schedule, null, evaluator)]) : schedule;
    }

    public static MachineGroup Group(string groupId, GroupRequest? body)
    {
        ScheduleIds.CheckGroup(groupId);
        if (!string.IsNullOrWhiteSpace(body?.ScheduleId))
        {
            ScheduleIds.CheckSchedule(body.ScheduleId);
        }

        if (body is null)
        {
            throw new InvalidScheduleException(groupId, [$"group '{groupId}': the body (the group's settings) is required"]);
        }

        var defaults = new MachineGroup { Id = groupId, Name = "" };
        return defaults with
        {
            Name = body.Name?.Trim() ?? "",
            ScheduleId = string.IsNullOrWhiteSpace(body.ScheduleId) ? null : body.ScheduleId,
            MaxConcurrentVms = body.MaxConcurrentVms ?? defaults.MaxConcurrentVms,
            Priority = body.Priority ?? defaults.Priority,
            OsseaConfigId = body.OsseaConfigId,
            TargetNetwork = body.TargetNetwork,
        };
    }

    public static GroupMembership Member(string groupId, string contextId, MemberRequest? body)
    {
        ScheduleIds.CheckGroup(groupId);
        ScheduleIds.CheckVmContext(contextId);
        return new() { GroupId = groupId, VmContextId = contextId, Enabled = body?.Enabled ?? true, Priority = body?.Priority ?? 0 };
    }

    // Names only: a number would be read by Enum.TryParse, and the wire contract is the names.
    private static T Parse<T>(string? text, string setting, T fallback, List<string> problems)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<T>(name);
        }

        problems.Add($"{setting} '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
        return fallback;
    }
}
