using Microsoft.Extensions.Configuration;
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

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Replication SDK.</summary>
public static class ReplicationServiceCollectionExtensions
{
    /// <summary>The default configuration section: <c>Replication</c> (so <c>Replication:Vma:BaseAddress</c>, env <c>Replication__Vma__BaseAddress</c>).</summary>
    public const string DefaultConfigurationSection = "Replication";

    /// <summary>
    /// Registers <see cref="IVmaClient"/> and <see cref="IOmaClient"/> as typed HttpClients, the discovery-first
    /// <see cref="IReplicationJobBuilder"/>, <see cref="IReplicationJobSubmitter"/> and <see cref="IDiscoveryScopeFactory"/>, their options (bound from
    /// <paramref name="configurationSection"/> when an <see cref="IConfiguration"/> is registered, validated at start),
    /// the default credential providers, and diagnostics. Calling it again with the same section is harmless; another
    /// section is an <see cref="InvalidOperationException"/>, because a host holds one VMA/OMA pair.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configurationSection">The configuration section to bind; <c>Replication</c> by default.</param>
    /// <returns>A builder to configure the SDK further.</returns>
    public static IReplicationSdkBuilder AddReplicationSdk(this IServiceCollection services, string configurationSection = DefaultConfigurationSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);

        var builder = new ReplicationSdkBuilder(services, configurationSection);
        var existing = services.Select(d => d.ImplementationInstance).OfType<ReplicationSdkMarker>().FirstOrDefault();
        if (existing is not null)
        {
            // One host holds one appliance pair: the clients, session and credential providers are unnamed singletons.
            // A second section would be silently ignored, so it is refused instead.
            if (!existing.ConfigurationSection.Equals(configurationSection, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The Replication SDK is already registered for configuration section '{existing.ConfigurationSection}', so it cannot also be registered for '{configurationSection}': "
                    + "a host holds one VMA/OMA pair (its clients, session and credential providers are single services). "
                    + "Run one host per appliance pair, or pass the same section to AddReplicationSdk and AddReplicationScheduling.");
            }

            return builder;
        }

        services.AddSingleton(new ReplicationSdkMarker(configurationSection));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new ClientTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

        var vmaSection = $"{configurationSection}:{VmaConstants.SectionName}";
        var omaSection = $"{configurationSection}:{OmaConstants.SectionName}";
        var jobsSection = $"{configurationSection}:Jobs";
        services.AddBoundOptions<VmaClientOptions>(vmaSection, static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true));
        services.AddBoundOptions<OmaClientOptions>(omaSection, static (section, o) => section.Bind(o, b => b.ErrorOnUnknownConfiguration = true));
        services.AddBoundOptions<ReplicationJobOptions>(jobsSection, static (section, o) =>
        {
            section.Bind(o, b => b.ErrorOnUnknownConfiguration = true);
            BoundOptionsRegistration.RejectBlank<ReplicationJobOptions>(section, nameof(ReplicationJobOptions.OsseaConfigId), "give the target CloudStack configuration id, or remove the key and set it per target");
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VmaClientOptions>>(new VmaClientOptionsValidator(vmaSection)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OmaClientOptions>>(new OmaClientOptionsValidator(omaSection)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicationJobOptions>>(new ReplicationJobOptionsValidator(jobsSection)));
        services.AddSingleton(sp => new TransportSecurityWarnings(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, vmaSection, omaSection));
        services.AddSingleton<IValidateOptions<VmaClientOptions>>(sp => sp.GetRequiredService<TransportSecurityWarnings>());
        services.AddSingleton<IValidateOptions<OmaClientOptions>>(sp => sp.GetRequiredService<TransportSecurityWarnings>());
        services.AddOptions<ConfigurationLayout>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConfigurationLayout>>(sp => new ConfigurationLayoutValidator(sp, configurationSection));

        services.TryAddTransient<IReplicationJobBuilder, ReplicationJobBuilder>();
        services.TryAddTransient<IReplicationJobSubmitter, ReplicationJobSubmitter>();
        services.TryAddTransient<IJobLivenessPolicy, JobLivenessPolicy>();
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

    private sealed record ReplicationSdkMarker(string ConfigurationSection);

    private sealed record ReplicationSdkBuilder(IServiceCollection Services, string ConfigurationSection) : IReplicationSdkBuilder;
}
