using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Replication.Sdk.Conventions.Tests;

/// <summary>
/// Every <c>[LoggerMessage]</c> event of every library reads well: no value can render as "(null)" (a nullable
/// parameter in the template), and every timestamp is written ISO 8601 with its offset (<c>{Name:O}</c>), never in the
/// culture's <c>MM/dd/yyyy</c> form.
/// </summary>
public sealed partial class LogMessageConventionTests
{
    private static readonly Assembly[] Libraries =
    [
        typeof(Microsoft.Extensions.DependencyInjection.ReplicationServiceCollectionExtensions).Assembly,
        typeof(Replication.Sdk.Scheduling.CronScheduleEvaluator).Assembly,
        typeof(Replication.Sdk.Scheduling.MySql.MySqlStoreOptions).Assembly,
        typeof(Replication.Sdk.Testing.ApplianceSimulator).Assembly,
        typeof(Replication.Sdk.Scheduling.AspNetCore.ReplicationSchedulingApiOptions).Assembly,
    ];

    public static TheoryData<string> Events()
    {
        var data = new TheoryData<string>();
        foreach (var (method, attribute) in LogMethods())
        {
            data.Add($"{method.DeclaringType!.Name}.{method.Name} ({attribute.EventId})");
        }

        return data;
    }

    [Fact]
    public void TheLibrariesHaveLogEvents() => LogMethods().Should().HaveCountGreaterThan(40);

    [Theory]
    [MemberData(nameof(Events))]
    public void NoPlaceholder_CanRenderAsNull_AndTimestampsAreIso8601(string eventName)
    {
        var (method, attribute) = LogMethods().Single(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name} ({m.Attribute.EventId})" == eventName);
        var nullability = new NullabilityInfoContext();
        var placeholders = Placeholder().Matches(attribute.Message).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["format"].Value, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in method.GetParameters().Where(p => placeholders.ContainsKey(p.Name!)))
        {
            var type = parameter.ParameterType;
            var nullable = Nullable.GetUnderlyingType(type) is not null
                || (!type.IsValueType && nullability.Create(parameter).WriteState == NullabilityState.Nullable);
            nullable.Should().BeFalse($"{{{parameter.Name}}} of event {attribute.EventId} would print \"(null)\"; pass a word for the missing value instead");

            if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset) || (Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTime))
            {
                placeholders[parameter.Name!].Should().Be("O", $"{{{parameter.Name}}} of event {attribute.EventId} must be written {{{parameter.Name}:O}} (ISO 8601 with offset)");
            }
        }
    }

    private static List<(MethodInfo Method, LoggerMessageAttribute Attribute)> LogMethods() =>
        [.. Libraries.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()!))
            .Where(x => x.Attribute is not null)
            .OrderBy(x => x.Attribute.EventId)];

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_]+)(?::(?<format>[^}]*))?\}")]
    private static partial Regex Placeholder();
}
