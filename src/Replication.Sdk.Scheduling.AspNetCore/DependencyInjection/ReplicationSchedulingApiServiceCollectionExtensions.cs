using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the scheduling management API and the dashboard.</summary>
public static class ReplicationSchedulingApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapReplicationSchedulingApi</c> and <c>MapReplicationDashboard</c> need: options (validated at
    /// start: a policy name is required), problem details, antiforgery, the API's OpenAPI document, and the audit of
    /// requests the authorization policy refuses. The scheduler itself, and the <see cref="IAuditSink"/> its store provides,
    /// come from <c>AddReplicationScheduling</c>; the policy from the host's <c>AddAuthorization</c>.
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
        services.TryAddSingleton<SchedulingReader>();
        services.TryAddSingleton<OperatorActions>();
        services.TryAddSingleton<ForbiddenAuditThrottle>();
        services.AddProblemDetails();
        services.AddAntiforgery();
        if (!services.Any(d => d.ServiceType == typeof(ApiMarker)))
        {
            services.AddSingleton<ApiMarker>();
            services.AddOpenApi(ApiConstants.OpenApiDocumentName, o =>
            {
                o.ShouldInclude = d => d.GroupName == ApiConstants.OpenApiDocumentName;
                ApiDocument.Describe(o);
            });
            DecorateAuthorizationResultHandler(services);
        }

        return services;
    }

    /// <summary>
    /// Puts <see cref="AuditingAuthorizationResultHandler"/> in front of the handler registered so far (the framework's
    /// default when there is none). A handler the host registers later replaces it, and forbidden actions are then no
    /// longer audited: register a custom one before this call.
    /// </summary>
    private static void DecorateAuthorizationResultHandler(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp => new AuditingAuthorizationResultHandler(
            Inner(sp, existing), sp.GetRequiredService<OperatorActions>(), sp.GetRequiredService<ILogger<AuditingAuthorizationResultHandler>>()));
    }

    private static IAuthorizationMiddlewareResultHandler Inner(IServiceProvider services, ServiceDescriptor? existing) => existing switch
    {
        null => new AuthorizationMiddlewareResultHandler(),
        { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
        { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(services),
        _ => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(services, existing.ImplementationType!),
    };

    private sealed class ApiMarker;
}
