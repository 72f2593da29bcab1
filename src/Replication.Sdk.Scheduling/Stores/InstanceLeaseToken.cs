namespace Replication.Sdk.Scheduling;

/// <summary>
/// One acquisition of an instance's lease: the instance id and a token that no other acquisition ever has (the fencing
/// token). Renewals, claims and execution writes name the token, so a process that lost its lease (paused past
/// <see cref="SchedulerOptions.LeaseDuration"/> while another instance took it over) is refused instead of overwriting
/// what the survivor now owns.
/// </summary>
/// <param name="InstanceId">The scheduler instance.</param>
/// <param name="Token">The acquisition's fencing token.</param>
public sealed record InstanceLeaseToken(string InstanceId, string Token);
