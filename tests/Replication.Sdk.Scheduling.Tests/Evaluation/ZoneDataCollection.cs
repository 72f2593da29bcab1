namespace Replication.Sdk.Scheduling.Tests.Evaluation;

/// <summary>
/// Tests that clear .NET's zone cache (<see cref="TimeZoneInfo.ClearCachedData"/>) and tests that count what a parse
/// allocates run one at a time: a clear in between makes the next parse resolve its zone again.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ZoneDataCollection
{
    public const string Name = "zone data";
}
