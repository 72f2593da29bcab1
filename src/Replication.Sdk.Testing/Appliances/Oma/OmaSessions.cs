namespace Replication.Sdk.Testing;

/// <summary>
/// The OMA's in-memory login sessions. Upstream hands every caller one constant session token valid for ten years, so a
/// second login revives the same token after a restart wiped the sessions; <see cref="SimulatorOptions.UniqueSessionTokens"/>
/// restores the kinder token-per-login behaviour.
/// </summary>
internal sealed class OmaSessions(SimulatorOptions options)
{
    /// <summary>The token every login answers (the real OMA's is a hard-coded string too).</summary>
    public const string ConstantToken = "sess-oma-0000000000000000000000000000000000000000000000000000000000000000";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session and returns its token and expiry (UTC).</summary>
    public (string Token, DateTimeOffset ExpiresAt) Login()
    {
        var token = options.UniqueSessionTokens ? $"sess-{Guid.NewGuid():N}" : ConstantToken;
        var expires = options.TimeProvider.GetUtcNow() + options.SessionLifetime;
        lock (_lock)
        {
            _sessions[token] = expires;
        }

        return (token, expires);
    }

    public bool IsValid(string token)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(token, out var expires) && options.TimeProvider.GetUtcNow() < expires;
        }
    }

    /// <summary>What an OMA restart does: sessions live only in its memory.</summary>
    public void Forget()
    {
        lock (_lock)
        {
            _sessions.Clear();
        }
    }
}
