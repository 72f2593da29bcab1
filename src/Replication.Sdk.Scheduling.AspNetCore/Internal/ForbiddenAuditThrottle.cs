namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Caps how many forbidden attempts of one user are audited per minute (on the host's clock), so a signed-in user without
/// the policy cannot push the operators' records out of the audit log. The first record after a capped minute says how
/// many attempts went unrecorded; every suppressed attempt is still logged.
/// </summary>
internal sealed class ForbiddenAuditThrottle(TimeProvider time)
{
    /// <summary>The records per user and minute.</summary>
    public const int PerMinute = 20;

    /// <summary>Beyond this many users tracked, windows that ended are dropped (a flood of user names cannot grow it for ever).</summary>
    private const int MaxTracked = 10_000;

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Admits one record, or not.</summary>
    /// <param name="principal">The user.</param>
    /// <returns>How many of the user's attempts were suppressed since its last record (0 usually) when admitted; <see langword="null"/> when not.</returns>
    public long? TryAdmit(string principal)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(principal, out var window) || now - window.Start >= TimeSpan.FromMinutes(1))
            {
                if (_windows.Count >= MaxTracked)
                {
                    foreach (var ended in _windows.Where(w => now - w.Value.Start >= TimeSpan.FromMinutes(1) && w.Value.Suppressed == 0).Select(w => w.Key).ToList())
                    {
                        _windows.Remove(ended);
                    }
                }

                var carried = window?.Suppressed ?? 0;
                _windows[principal] = new Window { Start = now, Admitted = 1 };
                return carried;
            }

            if (window.Admitted < PerMinute)
            {
                window.Admitted++;
                return 0;
            }

            window.Suppressed++;
            return null;
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; init; }

        public int Admitted { get; set; }

        public long Suppressed { get; set; }
    }
}
