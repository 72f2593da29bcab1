namespace Replication.Sdk.Scheduling;

/// <summary>How a change of the zone's UTC offset (DST or any other) affects an occurrence.</summary>
public enum OccurrenceDst
{
    /// <summary>The occurrence's wall time exists once.</summary>
    None,

    /// <summary>The wall time the expression names did not exist (the clock jumped over it): it fires at the end of the gap.</summary>
    Shifted,

    /// <summary>The wall time happens twice (the clock went back); this is the first pass.</summary>
    RepeatedFirstPass,

    /// <summary>The wall time happens twice; this is the second pass (interval expressions fire in both).</summary>
    RepeatedSecondPass,
}
