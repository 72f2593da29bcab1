using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replication.Sdk.Scheduling.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheduling management API and the dashboard.</summary>
public static class ReplicationSchedulingApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapReplicationSchedulingApi</c> and <c>MapReplicationDashboard</c> need: options (validated at
    /// start: a policy name is required), the default <see cref="InMemoryAuditSink"/> unless an <see cref="IAuditSink"/> is
    /// registered already, problem details, antiforgery and the API's OpenAPI document. The scheduler itself comes from
    /// <c>AddReplicationScheduling</c>; the policy from the host's <c>AddAuthorization</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; at least <see cref="ReplicationSchedulingApiOptions.AuthorizationPolicy"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddReplicationSchedulingApi(this IServiceCollection services, Action<ReplicationSchedulingApiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<ReplicationSchedulingApiOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicationSchedulingApiOptions>, ReplicationSchedulingApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAuditSink, InMemoryAuditSink>();
        services.TryAddSingleton<SchedulingReader>();
        services.TryAddSingleton<OperatorActions>();
        services.AddProblemDetails();
        services.AddAntiforgery();
        if (!services.Any(d => d.ServiceType == typeof(ApiMarker)))
        {
            services.AddSingleton<ApiMarker>();
            services.AddOpenApi(ApiConstants.OpenApiDocumentName, o => o.ShouldInclude = d => d.GroupName == ApiConstants.OpenApiDocumentName);
        }

        return services;
    }

    private sealed class ApiMarker;
}
