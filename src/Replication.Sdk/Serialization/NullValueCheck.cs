using System.Collections;
using System.Text.Json.Serialization.Metadata;

namespace Replication.Sdk.Serialization;

/// <summary>
/// Finds a <c>null</c> the API never sends in a deserialized answer. The serializer refuses an explicit null in a
/// non-nullable member itself (RespectNullableAnnotations), but not a member that is missing (it is left null, not set
/// to the model's initializer) nor a null element of a collection (<c>{"vms":[null]}</c>), whose nullability .NET cannot
/// see; no collection of this API holds nulls.
/// </summary>
internal static class NullValueCheck
{
    /// <summary>Returns the JSON path of the first such null, or <see langword="null"/> when there is none.</summary>
    public static string? Find(object value, JsonTypeInfo typeInfo) => Below(value, typeInfo) is { } below ? "$" + below : null;

    /// <summary>
    /// The path below <paramref name="value"/> of its first such null. Built on the way back from a find only: an answer
    /// without one (every answer, nearly) allocates no path text.
    /// </summary>
    private static string? Below(object value, JsonTypeInfo info)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (property.PropertyType.IsValueType || property.Get is null)
                    {
                        continue;
                    }

                    var child = property.Get(value);
                    if (child is null)
                    {
                        // A member missing from the answer is left null by the serializer, whatever the model's initializer says.
                        if (!property.IsGetNullable)
                        {
                            return "." + property.Name;
                        }

                        continue;
                    }

                    if (IsLeaf(property.PropertyType))
                    {
                        continue;
                    }

                    if (Below(child, info.Options.GetTypeInfo(property.PropertyType)) is { } found)
                    {
                        return $".{property.Name}{found}";
                    }
                }

                return null;

            case JsonTypeInfoKind.Enumerable when value is IEnumerable items && info.ElementType is { } elementType:
                var elementInfo = IsLeaf(elementType) ? null : info.Options.GetTypeInfo(elementType);
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null)
                    {
                        return $"[{index}]";
                    }

                    if (elementInfo is not null && Below(item, elementInfo) is { } found)
                    {
                        return $"[{index}]{found}";
                    }

                    index++;
                }

                return null;

            default:
                return null;
        }
    }

    // Values and strings hold no collections; a nullable value type (int?) is allowed to be null and holds none either.
    private static bool IsLeaf(Type type) => type.IsValueType || type == typeof(string);
}
