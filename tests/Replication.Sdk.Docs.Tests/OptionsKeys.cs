using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Replication.Sdk.Docs.Tests;

/// <summary>The configuration keys an options type binds, found by reflection, and a distinct sample value per key.</summary>
internal static class OptionsKeys
{
    /// <summary>Every bindable leaf key of <paramref name="type"/>, relative to its section (<c>N</c> for a list index).</summary>
    public static IEnumerable<string> Of(Type type, string prefix = "")
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = property.PropertyType;
            if (IsLeaf(propertyType))
            {
                if (property.SetMethod is { IsPublic: true })
                {
                    yield return prefix + property.Name;
                }
            }
            else if (ListElement(propertyType) is { } element)
            {
                foreach (var key in Of(element, $"{prefix}{property.Name}:N:"))
                {
                    yield return key;
                }
            }
            else if (propertyType.IsClass)
            {
                foreach (var key in Of(propertyType, $"{prefix}{property.Name}:"))
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>The property a key leads to, and the object that holds it, in a bound options instance (list index 0 for <c>N</c>).</summary>
    public static (object Holder, PropertyInfo Property) Resolve(object options, string key)
    {
        var segments = key.Split(':');
        object current = options;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i] == "N")
            {
                var list = (IList)current;
                list.Count.Should().BeGreaterThan(0, "key {0} binds a list entry", key);
                current = list[0]!;
                continue;
            }

            current = current.GetType().GetProperty(segments[i])!.GetValue(current)!;
        }

        return (current, current.GetType().GetProperty(segments[^1])!);
    }

    /// <summary>A value of the property's type that differs from its default, so a key that is not bound fails the test.</summary>
    public static object SampleValue(Type propertyType, object? defaultValue, int index)
    {
        var type = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        object value = type switch
        {
            _ when type == typeof(string) => $"sample-{index}",
            _ when type == typeof(int) => 4000 + index,
            _ when type == typeof(long) => 5_000_000L + index,
            _ when type == typeof(bool) => !(defaultValue as bool? ?? false),
            _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(7000 + index),
            _ when type == typeof(Uri) => new Uri($"https://host{index}.example:{9000 + index}/"),
            _ when type.IsEnum => Enum.GetValues(type).Cast<object>().Last(v => !v.Equals(defaultValue)),
            _ => throw new NotSupportedException($"No sample value for {type}."),
        };
        value.Should().NotBe(defaultValue, "a sample equal to the default could not show that the key was bound");
        return value;
    }

    /// <summary>How the value is written in configuration (environment variable or JSON string).</summary>
    public static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Uri u => u.AbsoluteUri,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(decimal);
    }

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(ICollection<>))
            ? type.GetGenericArguments()[0]
            : null;
}
