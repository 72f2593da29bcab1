using System.Diagnostics.CodeAnalysis;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The default <see cref="IScheduleEvaluator"/>: cron as the appliance's Go cron library accepts it, evaluated with
/// NCrontab in an IANA time zone under the DST rules of Vixie cron and Cronos.
/// </summary>
public sealed class CronScheduleEvaluator : IScheduleEvaluator
{
    private readonly CronDayMatching _dayMatching;
    private readonly ParsedScheduleCache _parsed = new();

    /// <summary>Initializes a new instance of the <see cref="CronScheduleEvaluator"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public CronScheduleEvaluator(CronScheduleOptions? options = null)
    {
        _dayMatching = options?.DayMatching ?? CronDayMatching.Either;
        if (!Enum.IsDefined(_dayMatching))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _dayMatching, "DayMatching must be Either or Both.");
        }
    }

    /// <inheritdoc/>
    public ISchedule Parse(string expression, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (timeZoneId is not null && _parsed.TryGet(expression, timeZoneId, out var known))
        {
            return known;
        }

        var schedule = ParseUncached(expression, timeZoneId);
        if (timeZoneId is not null)
        {
            _parsed.Add(expression, timeZoneId, schedule);
        }

        return schedule;
    }

    /// <summary>A parse that neither reads nor fills the cache: what a first parse of an expression costs (benchmarks, tests).</summary>
    internal CronSchedule ParseUncached(string expression, string? timeZoneId)
    {
        var zone = ResolveTimeZone(expression, timeZoneId);
        var fields = CronParser.Parse(expression);
        return new CronSchedule(expression, zone, fields, _dayMatching);
    }

    /// <summary>The parsed schedules this evaluator hands out again (internal: tests check the bound).</summary>
    internal ParsedScheduleCache ParsedSchedules => _parsed;

    /// <inheritdoc/>
    public bool TryParse(string expression, string timeZoneId, [NotNullWhen(true)] out ISchedule? schedule, out string? error)
    {
        try
        {
            schedule = Parse(expression, timeZoneId);
            error = null;
            return true;
        }
        catch (ScheduleFormatException ex)
        {
            schedule = null;
            error = ex.Message;
            return false;
        }
        catch (ArgumentNullException)
        {
            schedule = null;
            error = "The expression is null.";
            return false;
        }
    }

    private static ZoneTransitions ResolveTimeZone(string expression, string? timeZoneId)
    {
        // An id as it was resolved before (the common case) needs neither the white-space checks nor a trim.
        if (timeZoneId is not null && TimeZoneCache.TryGetCached(timeZoneId, out var cached))
        {
            return cached;
        }

        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return TimeZoneCache.Utc;
        }

        return TimeZoneCache.TryFindTransitions(timeZoneId.Trim(), out var zone)
            ? zone
            : throw new ScheduleFormatException(expression, "time zone", $"'{timeZoneId}' is not a time zone id this host knows: use an IANA id, for example 'Europe/London' or 'America/New_York'.");
    }
}
