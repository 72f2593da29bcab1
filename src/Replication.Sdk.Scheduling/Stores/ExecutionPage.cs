namespace Replication.Sdk.Scheduling;

/// <summary>One page of an <see cref="ExecutionQuery"/>: the executions, newest start first, and how many matched in all.</summary>
/// <param name="Items">The executions of the page, with their VM outcomes.</param>
/// <param name="Total">How many executions matched the filters, over every page.</param>
public sealed record ExecutionPage(IReadOnlyList<ScheduleExecution> Items, int Total);
