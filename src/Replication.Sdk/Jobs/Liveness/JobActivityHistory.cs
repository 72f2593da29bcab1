using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

/// <summary>
/// What a follower of one job has seen of it across <see cref="IJobLivenessPolicy.JudgeAsync"/> calls. Use one instance
/// per job and caller; not thread-safe.
/// </summary>
public sealed class JobActivityHistory
{
    private (string Status, double Progress)? _oma;
    private (string Status, string Phase, double Percentage, long Bytes)? _vma;
    private bool _afterUnknown;

    /// <summary>Gets when a change of the OMA's job row was last seen between two reads.</summary>
    internal DateTimeOffset? OmaChangedAt { get; private set; }

    /// <summary>Gets when a change of the VMA's progress was last seen between two reads.</summary>
    internal DateTimeOffset? VmaChangedAt { get; private set; }

    /// <summary>Gets the moment the quiet clock restarted after an unknown verdict: quiet time before it is no evidence.</summary>
    internal DateTimeOffset? RestartedAt { get; private set; }

    /// <summary>Records an OMA read; returns whether it differs from the previous one.</summary>
    internal bool ObserveOma(ReplicationJob job, DateTimeOffset now)
    {
        var seen = (job.Status.Value, job.ProgressPercent);
        var changed = _oma is not null && _oma != seen;
        _oma = seen;
        if (changed)
        {
            OmaChangedAt = now;
        }

        return changed;
    }

    internal void ObserveVma(VmaProgress progress, DateTimeOffset now)
    {
        var seen = (progress.Status, progress.Phase, progress.Percentage, progress.BytesTransferred);
        if (_vma is not null && _vma != seen)
        {
            VmaChangedAt = now;
        }

        _vma = seen;
    }

    internal void MarkUnknown() => _afterUnknown = true;

    /// <summary>Every read this judgement needed answered: after an unknown verdict, the quiet clock starts again now.</summary>
    internal void EvidenceComplete(DateTimeOffset now)
    {
        // The time without evidence is not time without change.
        if (_afterUnknown)
        {
            _afterUnknown = false;
            RestartedAt = now;
        }
    }
}
