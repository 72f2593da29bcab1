using System.Text.RegularExpressions;

namespace Replication.Sdk.Testing;

/// <summary>One request the simulator received. Secrets (Authorization, password, token, session_token) are redacted.</summary>
/// <param name="Appliance">"VMA" or "OMA".</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Status">The status answered (0 when the connection was dropped).</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The request body.</param>
/// <param name="At">When it arrived (the simulator's clock).</param>
public sealed record JournalEntry(string Appliance, string Method, string Path, int Status, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>Every request the simulator received, for assertions.</summary>
public sealed partial class RequestJournal
{
    private readonly Lock _lock = new();
    private readonly List<JournalEntry> _entries = [];

    /// <summary>Gets a snapshot of the entries, in arrival order.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets the entries for one endpoint, e.g. <c>POST /api/v1/replications</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="pathPrefix">The path, or its start.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<JournalEntry> For(string method, string pathPrefix) =>
        [.. Entries.Where(e => e.Method == method && e.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    internal void Add(JournalEntry entry)
    {
        var redacted = entry with
        {
            Headers = entry.Headers.ToDictionary(h => h.Key, h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? "(redacted)" : h.Value),
            Body = entry.Body.Length == 0 ? entry.Body : SecretFields().Replace(entry.Body, m => $"{m.Groups[1].Value}\"(redacted)\""),
        };
        lock (_lock)
        {
            _entries.Add(redacted);
        }
    }

    [GeneratedRegex("(\"(?:password|token|session_token)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", RegexOptions.CultureInvariant)]
    private static partial Regex SecretFields();
}
