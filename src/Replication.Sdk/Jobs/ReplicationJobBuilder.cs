using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Jobs;

internal sealed class ReplicationJobBuilder(
    IVmaClient vma,
    IOptions<ReplicationJobOptions> options,
    TimeProvider time,
    ILogger<ReplicationJobBuilder> logger) : IReplicationJobBuilder
{
    public async Task<ReplicationJobPlan> BuildAsync(ReplicationTarget target, IDiscoveryScope? scope = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);

        // Settings first: a job that cannot be sent is not worth a discovery.
        var settings = JobPlanner.ResolveSettings(target, options.Value);

        DiscoverySnapshot snapshot;
        if (scope is not null)
        {
            snapshot = await scope.GetInventoryAsync(target, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var inventory = await vma.DiscoverAsync(
                new DiscoverVmsRequest { VCenterHost = target.VCenterHost, Datacenter = target.Datacenter, NameFilters = [target.VmName] },
                cancellationToken).ConfigureAwait(false);
            snapshot = new DiscoverySnapshot(inventory, time.GetUtcNow());
        }

        var plan = JobPlanner.Plan(target, settings, snapshot.Inventory, snapshot.DiscoveredAt);
        if (plan.Drift.HasChanges)
        {
            JobLog.DriftFound(logger, SafeText.Escape(plan.Vm.Name), SafeText.Escape(plan.Vm.Id), plan.Drift.Changes.Count, SafeText.Escape(plan.Drift.ToString()));
        }

        foreach (var warning in plan.Warnings)
        {
            JobLog.PlanWarning(logger, SafeText.Escape(plan.Vm.Name), SafeText.Escape(warning));
        }

        return plan;
    }
}
