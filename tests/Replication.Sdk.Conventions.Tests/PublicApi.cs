using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Replication.Sdk.Conventions.Tests;

/// <summary>Renders an assembly's public surface as sorted text, one member a line, for the approved-API snapshot.</summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Render(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.AppendLine(TypeLine(type));
            foreach (var line in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("  ").AppendLine(line);
            }
        }

        return text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public static bool IsVisible(MethodBase? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

    private static string TypeLine(Type type)
    {
        var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        if (type.IsEnum)
        {
            foreach (var name in Enum.GetNames(type))
            {
                yield return $"{name} = {Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (var ctor in type.GetConstructors(Declared).Where(IsVisible))
        {
            yield return $"ctor({Parameters(ctor)})";
        }

        foreach (var property in type.GetProperties(Declared))
        {
            var get = IsVisible(property.GetMethod) ? "get; " : "";
            var set = property.SetMethod is { } s && IsVisible(s)
                ? (s.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) ? "init; " : "set; ")
                : "";
            if (get.Length + set.Length > 0)
            {
                var isStatic = (property.GetMethod ?? property.SetMethod)!.IsStatic ? "static " : "";
                yield return $"{isStatic}{Name(property.PropertyType)} {property.Name} {{ {get}{set}}}";
            }
        }

        foreach (var method in type.GetMethods(Declared).Where(m => IsVisible(m) && !m.IsSpecialName && m.Name != "<Clone>$"))
        {
            var isStatic = method.IsStatic ? "static " : "";
            var generic = method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : "";
            yield return $"{isStatic}{Name(method.ReturnType)} {method.Name}{generic}({Parameters(method)})";
        }

        foreach (var method in type.GetMethods(Declared).Where(m => IsVisible(m) && m.IsSpecialName && m.Name.StartsWith("op_", StringComparison.Ordinal)))
        {
            yield return $"static {Name(method.ReturnType)} {method.Name}({Parameters(method)})";
        }

        foreach (var field in type.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily))
        {
            yield return $"{(field.IsLiteral ? "const " : field.IsStatic ? "static " : "")}{Name(field.FieldType)} {field.Name}{(field.IsLiteral ? $" = {field.GetRawConstantValue()}" : "")}";
        }
    }

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? $" = {p.DefaultValue ?? "null"}" : "")}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsByRef)
        {
            return "ref " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        var name = type.IsNested ? $"{Name(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        if (!type.IsGenericType)
        {
            return name;
        }

        return $"{name[..name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }
}
