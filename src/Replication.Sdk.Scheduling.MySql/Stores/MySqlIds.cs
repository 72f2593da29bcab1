namespace Replication.Sdk.Scheduling.MySql;

/// <summary>
/// Exact id comparisons over the appliance's tables. Their collation (<c>utf8mb4_general_ci</c>, the appliance's schema,
/// which the SDK cannot change) makes <c>FAST</c> equal <c>fast</c> and <c>café</c> equal <c>cafe</c>, while the engine
/// and the in-memory store compare ids ordinally: a look-up that found the other spelling would be accepted but never
/// applied. Every statement that selects by id adds the binary comparison; the collated one stays first so the primary
/// key (or index) is still used, and the binary one only filters the row it finds.
/// </summary>
internal static class MySqlIds
{
    /// <summary>SQL true when <paramref name="column"/> is exactly <paramref name="parameter"/>, along the column's index.</summary>
    public static string Exact(string column, string parameter) => $"{column} = {parameter} AND {column} = CAST({parameter} AS BINARY)";

    /// <summary>Whether a value read back is exactly the id asked for (a read along a collated index may return another spelling).</summary>
    public static bool Same(string? read, string asked) => string.Equals(read, asked, StringComparison.Ordinal);
}
