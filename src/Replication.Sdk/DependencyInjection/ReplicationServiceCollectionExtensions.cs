using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Replication.Sdk.Credentials;
using Replication.Sdk.DependencyInjection.Internal;
using Replication.Sdk.Diagnostics;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Oma.Authentication;
using Replication.Sdk.Security;
using Replication.Sdk.Vma;

namespace Replication.Sdk.DependencyInjection;

/// <summary>Registers the Replication SDK.</summary>
public static class ReplicationServiceCollectionExtensions
{
    /// <summary>The default configuration section: <c>Replication</c> (so <c>Replication:Vma:BaseAddress</c>, env <c>Replication__Vma__BaseAddress</c>).</summary>
    public const string DefaultConfigurationSection = "Replication";

    /// <summary>
    /// Registers <see cref="IVmaClient"/> and <see cref="IOmaClient"/> as typed HttpClients, the discovery-first
    /// <see cref="IReplicationJobBuilder"/>, <see cref="IReplicationJobSubmitter"/> and <see cref="IDiscoveryScopeFactory"/>, their options (bound from
    /// <paramref name="configurationSection"/> when an <see cref="IConfiguration"/> is registered, validated at start),
    /// the default credential providers, and diagnostics. Calling it again is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configurationSection">The configuration section to bind; <c>Replication</c> by default.</param>
    /// <returns>A builder to configure the SDK further.</returns>
    public static IReplicationSdkBuilder AddReplicationSdk(this IServiceCollection services, string configurationSection = DefaultConfigurationSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);

        var builder = new ReplicationSdkBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(ReplicationSdkMarker)))
        {
            return builder;
        }

        services.AddSingleton<ReplicationSdkMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new ClientTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

        services.AddOptions<VmaClientOptions>().ValidateOnStart();
        services.AddOptions<OmaClientOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<VmaClientOptions>>(sp => new BindFromConfiguration<VmaClientOptions>(sp, $"{configurationSection}:{VmaConstants.SectionName}", static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true)));
        services.AddSingleton<IConfigureOptions<OmaClientOptions>>(sp => new BindFromConfiguration<OmaClientOptions>(sp, $"{configurationSection}:{OmaConstants.SectionName}", static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VmaClientOptions>, VmaClientOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OmaClientOptions>, OmaClientOptionsValidator>());

        services.AddOptions<ReplicationJobOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<ReplicationJobOptions>>(sp => new BindFromConfiguration<ReplicationJobOptions>(sp, $"{configurationSection}:Jobs", static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicationJobOptions>, ReplicationJobOptionsValidator>());
        services.TryAddTransient<IReplicationJobBuilder, ReplicationJobBuilder>();
        services.TryAddTransient<IReplicationJobSubmitter, ReplicationJobSubmitter>();
        services.TryAddSingleton<IDiscoveryScopeFactory, DiscoveryScopeFactory>();

        services.TryAddSingleton<IVCenterCredentialProvider, OptionsVCenterCredentialProvider>();
        services.TryAddSingleton<IOmaCredentialProvider, OptionsOmaCredentialProvider>();
        services.TryAddSingleton<VmaPipelines>();
        services.TryAddSingleton<OmaPipelines>();
        services.TryAddSingleton<OmaSessionManager>();
        services.TryAddTransient<OmaAuthenticationHandler>();
        services.TryAddTransient<JobCreationGateHandler>();

        services.AddHttpClient<IVmaClient, VmaClient>(VmaClient.HttpClientName)
            .ConfigureHttpClient((sp, http) => ConfigureBase(http, sp.GetRequiredService<IOptions<VmaClientOptions>>().Value.BaseAddress))
            .ConfigurePrimaryHttpMessageHandler(sp => TlsCertificateValidation.CreateHandler(sp.GetRequiredService<IOptions<VmaClientOptions>>().Value.Tls))
            .RemoveAllLoggers()
            .RedactLoggedHeaders(["Authorization"]);

        services.AddHttpClient<IOmaClient, OmaClient>(OmaClient.HttpClientName)
            .ConfigureHttpClient((sp, http) => ConfigureBase(http, sp.GetRequiredService<IOptions<OmaClientOptions>>().Value.BaseAddress))
            .ConfigurePrimaryHttpMessageHandler(sp => TlsCertificateValidation.CreateHandler(sp.GetRequiredService<IOptions<OmaClientOptions>>().Value.Tls))
            .AddHttpMessageHandler<OmaAuthenticationHandler>()
            .AddHttpMessageHandler<JobCreationGateHandler>()
            .RemoveAllLoggers()
            .RedactLoggedHeaders(["Authorization"]);

        services.AddHttpClient(OmaSessionManager.LoginHttpClientName)
            .ConfigureHttpClient((sp, http) => ConfigureBase(http, sp.GetRequiredService<IOptions<OmaClientOptions>>().Value.BaseAddress))
            .ConfigurePrimaryHttpMessageHandler(sp => TlsCertificateValidation.CreateHandler(sp.GetRequiredService<IOptions<OmaClientOptions>>().Value.Tls))
            .RemoveAllLoggers()
            .RedactLoggedHeaders(["Authorization"]);

        return builder;
    }

    // The factory's default loggers put raw header values (the session token) into the log state's structured
    // properties even when redaction is configured, so the SDK's clients log through their own [LoggerMessage] lines only.
    private static void ConfigureBase(HttpClient http, Uri baseAddress)
    {
        // A base path without a trailing slash would lose its last segment when relative routes are resolved.
        http.BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        // Timeouts belong to the Polly pipelines (they run on the injected TimeProvider); HttpClient's own would race them.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    private sealed class ReplicationSdkMarker;

    private sealed record ReplicationSdkBuilder(IServiceCollection Services) : IReplicationSdkBuilder;
}
