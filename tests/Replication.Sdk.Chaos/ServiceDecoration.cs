using Microsoft.Extensions.DependencyInjection;

namespace Replication.Sdk.Chaos;

/// <summary>Wraps an already registered service, whether it was registered as an instance, a factory or a type.</summary>
internal static class ServiceDecoration
{
    public static void Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var previous = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(previous);
        services.AddSingleton(sp => decorate(sp, previous switch
        {
            { ImplementationInstance: TService instance } => instance,
            { ImplementationFactory: { } factory } => (TService)factory(sp),
            _ => (TService)ActivatorUtilities.CreateInstance(sp, previous.ImplementationType!),
        }));
    }
}
