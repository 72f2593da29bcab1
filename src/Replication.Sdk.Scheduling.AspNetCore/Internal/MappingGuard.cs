using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>Checks, when the API or the dashboard is mapped, that the services are registered and the policy named exists.</summary>
internal static class MappingGuard
{
    public static ReplicationSchedulingApiOptions Check(IServiceProvider services, string what)
    {
        if (services.GetService<SchedulingReader>() is null)
        {
            throw new InvalidOperationException($"{what} needs services.AddReplicationSchedulingApi(o => o.AuthorizationPolicy = \"...\") (and AddReplicationScheduling) first.");
        }

        // Throws OptionsValidationException with every problem (a missing policy name first): no anonymous fallback.
        var options = services.GetRequiredService<IOptions<ReplicationSchedulingApiOptions>>().Value;
        var provider = services.GetService<IAuthorizationPolicyProvider>()
            ?? throw new InvalidOperationException($"{what} needs authorization services: call services.AddAuthorization(o => o.AddPolicy(\"{options.AuthorizationPolicy}\", ...)).");

        // Start-up only, and the default provider completes synchronously.
        var policy = provider.GetPolicyAsync(options.AuthorizationPolicy!).GetAwaiter().GetResult();
        return policy is null
            ? throw new InvalidOperationException($"{what}: the authorization policy '{options.AuthorizationPolicy}' (ReplicationSchedulingApiOptions.AuthorizationPolicy) is not defined; add it with AddAuthorization(o => o.AddPolicy(...)).")
            : options;
    }
}
