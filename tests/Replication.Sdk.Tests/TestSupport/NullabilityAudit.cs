using System.Collections;
using System.Reflection;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>Finds, by reflection over nullable annotations, a null that a returned model declares impossible.</summary>
internal static class NullabilityAudit
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static string? FindNull(object value, string path = "$")
    {
        var type = value.GetType();
        if (value is string || type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("Replication.Sdk", StringComparison.Ordinal) != true && value is not IEnumerable)
        {
            return null;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                var found = item is null ? $"{path}[{index}]" : FindNull(item, $"{path}[{index}]");
                if (found is not null)
                {
                    return found;
                }

                index++;
            }

            return null;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType.IsValueType)
            {
                continue;
            }

            var child = property.GetValue(value);
            var found = child is null
                ? Nullability.Create(property).ReadState == NullabilityState.NotNull ? $"{path}.{property.Name}" : null
                : FindNull(child, $"{path}.{property.Name}");
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
