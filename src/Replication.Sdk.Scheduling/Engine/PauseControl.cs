using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Scheduling;

/// <summary>The <see cref="IPauseControl"/>: validates requests, then writes through the <see cref="IPauseStore"/>.</summary>
internal sealed class PauseControl(IPauseStore store, IScheduleStore schedules, PauseBook book, TimeProvider time, ILogger<PauseControl> logger) : IPauseControl
{
    /// <summary>Ids are keys in the MySQL store (VARCHAR(191)).</summary>
    internal const int MaxIdLength = 191;

    /// <summary>Principals are stored like <see cref="ScheduleExecution.TriggeredBy"/> (VARCHAR(255)).</summary>
    internal const int MaxPrincipalLength = 255;

    /// <summary>A reason is recorded on every skip: long enough for a ticket reference and a sentence.</summary>
    internal const int MaxReasonLength = 2000;

    public async Task<PauseState> PauseAsync(PauseTarget target, string reason, string pausedBy, DateTimeOffset? resumeAt = null, CancellationToken cancellationToken = default)
    {
        ValidateTarget(target);
        Text(nameof(reason), reason, MaxReasonLength);
        Text(nameof(pausedBy), pausedBy, MaxPrincipalLength);
        var now = time.GetUtcNow();
        if (resumeAt is { } at && at <= now)
        {
            throw new InvalidPauseRequestException(nameof(resumeAt), $"resume-at {at:O} is not in the future (now is {now:O})");
        }

        if (target.Kind == PauseTargetKind.Schedule && await schedules.GetScheduleAsync(target.Id, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ScheduleNotFoundException(target.Id);
        }

        // An expired pause of the same target ends (and is reported) first, so it cannot block the new one.
        await book.InForceAsync(cancellationToken).ConfigureAwait(false);
        var pause = new PauseState { Id = book.NewId(), Target = target, Reason = reason, PausedBy = pausedBy, PausedAt = now, ResumeAt = resumeAt };
        var existing = await WriteAsync(store.TryAddAsync(pause, cancellationToken)).ConfigureAwait(false);
        if (existing is not null)
        {
            throw new AlreadyPausedException(existing);
        }

        SchedulerLog.Paused(logger, target, pausedBy, resumeAt, reason);
        return pause;
    }

    public async Task<ResumeReport?> ResumeAsync(PauseTarget target, string resumedBy, CancellationToken cancellationToken = default)
    {
        ValidateTarget(target);
        Text(nameof(resumedBy), resumedBy, MaxPrincipalLength);

        // A pause past its resume-at has ended already: it is reported as the automatic resume it was, not as this call's.
        await book.InForceAsync(cancellationToken).ConfigureAwait(false);
        if (await WriteAsync(store.TryRemoveAsync(target, null, cancellationToken)).ConfigureAwait(false) is not { } ended)
        {
            return null;
        }

        var report = new ResumeReport(ended, resumedBy, time.GetUtcNow(), Automatic: false);
        await book.ReportAsync(report).ConfigureAwait(false);
        return report;
    }

    public Task<IReadOnlyList<PauseState>> GetPausesAsync(CancellationToken cancellationToken = default) => book.InForceAsync(cancellationToken);

    /// <summary>A store write whose effect the next pause read must see, whether it succeeded, refused or failed midway.</summary>
    private async Task<T> WriteAsync<T>(Task<T> write)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            book.Written();
        }
    }

    private static void ValidateTarget(PauseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Enum.IsDefined(target.Kind))
        {
            throw new InvalidPauseRequestException(nameof(target), $"unknown target kind {(int)target.Kind} (use Schedule, Group or Vm)");
        }

        Text($"{nameof(target)}.{nameof(target.Id)}", target.Id, MaxIdLength);
    }

    private static void Text(string name, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidPauseRequestException(name, "it is required and must not be blank");
        }

        if (value.Length > maxLength)
        {
            throw new InvalidPauseRequestException(name, $"it is {value.Length} characters long, at most {maxLength} are allowed");
        }
    }
}
