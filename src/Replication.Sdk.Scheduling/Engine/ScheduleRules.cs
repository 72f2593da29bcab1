using System.Globalization;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The one set of rules a schedule and its groups must meet to run, applied alike to cron occurrences, manual triggers and
/// rows read from a store: a value that would stall or overflow an execution (a limit of 0, a negative delay, an unknown
/// enum value) is refused with a reason instead of running.
/// </summary>
internal static class ScheduleRules
{
    /// <summary>The largest starting deadline a schedule may set (the scheduler option has the same bound).</summary>
    public static readonly TimeSpan MaxStartingDeadline = TimeSpan.FromDays(7);

    /// <summary>The largest RPO target a schedule may set.</summary>
    public static readonly TimeSpan MaxRpoTarget = TimeSpan.FromDays(366);

    /// <summary>The longest spread a schedule may set.</summary>
    public static readonly TimeSpan MaxSpread = TimeSpan.FromDays(1);

    private const int MaxLimit = 100_000;

    public static List<string> Problems(ReplicationSchedule s)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(s.Kind))
        {
            problems.Add(Text($"Kind {(int)s.Kind} is not a known value ({string.Join(", ", Enum.GetNames<ScheduleKind>())})"));
        }
        else if (s.Kind == ScheduleKind.Rpo)
        {
            if (s.RpoTarget is null)
            {
                problems.Add("RpoTarget is required for an RPO schedule");
            }

            if (!string.IsNullOrWhiteSpace(s.CronExpression))
            {
                problems.Add(Text($"an RPO schedule has no CronExpression (was '{s.CronExpression}')"));
            }
        }
        else if (string.IsNullOrWhiteSpace(s.CronExpression))
        {
            problems.Add("CronExpression is required");
        }

        if (s.MaxConcurrentJobs is < 1 or > MaxLimit)
        {
            problems.Add(Text($"MaxConcurrentJobs must be between 1 and {MaxLimit} (was {s.MaxConcurrentJobs})"));
        }

        if (s.RetryAttempts is < 0 or > 100)
        {
            problems.Add(Text($"RetryAttempts must be between 0 and 100 (was {s.RetryAttempts})"));
        }

        if (s.RetryDelay < TimeSpan.Zero || s.RetryDelay > TimeSpan.FromDays(1))
        {
            problems.Add(Text($"RetryDelay must be between 0 and 1 day (was {s.RetryDelay})"));
        }

        if (s.StartingDeadline is { } d && (d < TimeSpan.Zero || d > MaxStartingDeadline))
        {
            problems.Add(Text($"StartingDeadline must be between 0 and {MaxStartingDeadline.TotalDays} days (was {d})"));
        }

        if (s.Spread is { } spread && (spread < TimeSpan.Zero || spread > MaxSpread))
        {
            problems.Add(Text($"Spread must be between 0 and {MaxSpread.TotalDays} day (was {spread})"));
        }

        if (s.RpoTarget is { } rpo && (rpo <= TimeSpan.Zero || rpo > MaxRpoTarget))
        {
            problems.Add(Text($"RpoTarget must be more than 0 and at most {MaxRpoTarget.TotalDays} days (was {rpo})"));
        }

        if (!Enum.IsDefined(s.MisfirePolicy))
        {
            problems.Add(Text($"MisfirePolicy {(int)s.MisfirePolicy} is not a known value ({string.Join(", ", Enum.GetNames<MisfirePolicy>())})"));
        }

        if (!Enum.IsDefined(s.OverlapPolicy))
        {
            problems.Add(Text($"OverlapPolicy {(int)s.OverlapPolicy} is not a known value ({string.Join(", ", Enum.GetNames<OverlapPolicy>())})"));
        }

        if (!Enum.IsDefined(s.OutsideWindowPolicy))
        {
            problems.Add(Text($"OutsideWindowPolicy {(int)s.OutsideWindowPolicy} is not a known value ({string.Join(", ", Enum.GetNames<OutsideWindowPolicy>())})"));
        }

        if (!Enum.IsDefined(s.ReplicationType))
        {
            problems.Add(Text($"ReplicationType {(int)s.ReplicationType} is not a known value"));
        }

        return problems;
    }

    /// <summary>Why a group cannot run, or <see langword="null"/>.</summary>
    public static string? Problem(MachineGroup g) =>
        g.MaxConcurrentVms is < 1 or > MaxLimit
            ? Text($"group '{g.Id}': MaxConcurrentVms must be between 1 and {MaxLimit} (was {g.MaxConcurrentVms})")
            : null;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
