using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Replication.Sdk.Scheduling;

namespace Replication.Sdk.Conventions.Tests;

public sealed class ConventionTests
{
    private static readonly Assembly[] Libraries =
    [
        typeof(ReplicationServiceCollectionExtensions).Assembly,
        typeof(CronScheduleEvaluator).Assembly,
        typeof(Replication.Sdk.Testing.ApplianceSimulator).Assembly,
        typeof(Replication.Sdk.Scheduling.MySql.MySqlStoreOptions).Assembly,
        typeof(Replication.Sdk.OpenTelemetry.ReplicationInstrumentation).Assembly,
        typeof(Replication.Sdk.Scheduling.AspNetCore.ReplicationSchedulingApiOptions).Assembly,
    ];

    private static IEnumerable<Type> PublicTypes => Libraries.SelectMany(a => a.GetExportedTypes());

    [Fact]
    public void PublicAsyncMethods_TakeCancellationTokenLast()
    {
        PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAwaitable(m.ReturnType) && m.Name != nameof(IAsyncDisposable.DisposeAsync)) // IAsyncDisposable fixes that signature
            .Where(m => m.GetParameters().LastOrDefault()?.ParameterType != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Should().BeEmpty();
    }

    [Fact]
    public void PublicAsyncMethods_EndWithAsync()
    {
        PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAwaitable(m.ReturnType) && !m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Should().BeEmpty();
    }

    [Fact]
    public void Models_AreImmutable()
    {
        // Options types are the only mutable public types: configuration binding needs setters.
        PublicTypes
            .Where(t => t.IsClass && !t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.Name.EndsWith("Entry", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod is { IsPublic: true } s && !s.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                .Select(p => $"{t.Name}.{p.Name}"))
            .Should().BeEmpty();
    }

    [Fact]
    public void Models_ExposeReadOnlyCollections()
    {
        PublicTypes
            .Where(t => t.IsClass && !t.Name.EndsWith("Options", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() is var d
                    && (d == typeof(List<>) || d == typeof(IList<>) || d == typeof(ICollection<>) || d == typeof(Dictionary<,>)))
                .Select(p => $"{t.Name}.{p.Name}"))
            .Should().BeEmpty();
    }

    [Fact]
    public void Exceptions_DeriveFromReplicationExceptionOrFormatException()
    {
        PublicTypes
            .Where(t => typeof(Exception).IsAssignableFrom(t))
            .Where(t => !typeof(ReplicationException).IsAssignableFrom(t) && !typeof(FormatException).IsAssignableFrom(t))
            .Select(t => t.Name)
            .Should().BeEmpty();
    }

    [Fact]
    public void ClientInterfaces_HaveInternalSealedImplementations()
    {
        var interfaces = PublicTypes.Where(t => t.IsInterface && t.Name.EndsWith("Client", StringComparison.Ordinal)).ToList();
        interfaces.Should().NotBeEmpty();
        foreach (var contract in interfaces)
        {
            Libraries.SelectMany(a => a.GetTypes())
                .Where(t => contract.IsAssignableFrom(t) && t.IsClass)
                .Should().ContainSingle($"{contract.Name} has one implementation").Which.Should().Match<Type>(t => t.IsSealed && !t.IsPublic);
        }
    }

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)
            || type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)));
}
