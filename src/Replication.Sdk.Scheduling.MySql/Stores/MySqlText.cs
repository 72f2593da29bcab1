namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Text the SDK records rather than refuses (a principal, an audit target): cut to its column, so a long operator name
/// makes a shorter record instead of a failed action ("Data too long for column").
/// </summary>
internal static class MySqlText
{
    /// <summary>At most <paramref name="max"/> characters; a cut value ends with "…".</summary>
    public static string Cut(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        // Never half a surrogate pair: the column would get a replacement character instead of the text.
        var keep = char.IsHighSurrogate(value[max - 2]) ? max - 2 : max - 1;
        return string.Concat(value.AsSpan(0, keep), "…");
    }
}
