using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Replication.Sdk.Credentials;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Oma.Authentication;
using Replication.Sdk.Vma;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the SDK registered by <c>AddReplicationSdk</c>.</summary>
public static class ReplicationSdkBuilderExtensions
{
    /// <summary>Configures the VMA client options after configuration binding.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration action.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder ConfigureVma(this IReplicationSdkBuilder builder, Action<VmaClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.PostConfigure(configure);
        return builder;
    }

    /// <summary>Configures the OMA client options after configuration binding.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration action.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder ConfigureOma(this IReplicationSdkBuilder builder, Action<OmaClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.PostConfigure(configure);
        return builder;
    }

    /// <summary>Configures the job builder and submitter options after configuration binding.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The configuration action.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder ConfigureJobs(this IReplicationSdkBuilder builder, Action<ReplicationJobOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.PostConfigure(configure);
        return builder;
    }

    /// <summary>Replaces the vCenter credential provider (the default reads <c>Replication:Vma:VCenters</c>).</summary>
    /// <typeparam name="TProvider">The provider type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder UseVCenterCredentialProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this IReplicationSdkBuilder builder)
        where TProvider : class, IVCenterCredentialProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IVCenterCredentialProvider, TProvider>());
        return builder;
    }

    /// <summary>Replaces the OMA credential provider (the default reads <c>Replication:Oma:Authentication</c>).</summary>
    /// <typeparam name="TProvider">The provider type, registered as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder UseOmaCredentialProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this IReplicationSdkBuilder builder)
        where TProvider : class, IOmaCredentialProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IOmaCredentialProvider, TProvider>());
        return builder;
    }

    /// <summary>Customises the VMA's <see cref="HttpClient"/> (extra handlers, a test handler as primary…).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The action on the client's <see cref="IHttpClientBuilder"/>.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder ConfigureVmaHttpClient(this IReplicationSdkBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Services.AddHttpClient(VmaClient.HttpClientName));
        return builder;
    }

    /// <summary>Customises the OMA's <see cref="HttpClient"/>s (API and login) the same way.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The action, called once for each of the two clients.</param>
    /// <returns>The builder.</returns>
    public static IReplicationSdkBuilder ConfigureOmaHttpClient(this IReplicationSdkBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Services.AddHttpClient(OmaClient.HttpClientName));
        configure(builder.Services.AddHttpClient(OmaSessionManager.LoginHttpClientName));
        return builder;
    }
}
