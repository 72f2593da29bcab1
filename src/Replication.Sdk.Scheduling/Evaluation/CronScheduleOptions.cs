namespace Replication.Sdk.Scheduling;

/// <summary>Settings of the default <see cref="CronScheduleEvaluator"/>.</summary>
public sealed class CronScheduleOptions
{
    /// <summary>Gets or sets how day-of-month and day-of-week combine when both are restricted.</summary>
    /// <value>The default value is <see cref="CronDayMatching.Either"/>, as Vixie cron and the appliance's Go cron library do.</value>
    public CronDayMatching DayMatching { get; set; } = CronDayMatching.Either;
}

/// <summary>How day-of-month and day-of-week combine when both fields are restricted.</summary>
public enum CronDayMatching
{
    /// <summary>A day matches if either field matches (Vixie cron, robfig/cron). When one field is <c>*</c> or <c>?</c>, only the other applies.</summary>
    Either,

    /// <summary>A day matches only if both fields match (NCrontab, Cronos).</summary>
    Both,
}
