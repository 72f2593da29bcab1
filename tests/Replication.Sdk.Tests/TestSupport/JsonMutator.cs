using System.Text.Json.Nodes;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>Seeded damage to a real answer: a value replaced by null, a member removed, or a value of the wrong type.</summary>
internal static class JsonMutator
{
    public static (string Json, string Description) Mutate(string json, Random random, int mutations)
    {
        var root = JsonNode.Parse(json)!;
        var applied = new List<string>();
        for (var i = 0; i < mutations; i++)
        {
            var slots = new List<(JsonNode Parent, string? Name, int Index, string Path)>();
            Collect(root, "$", slots);
            if (slots.Count == 0)
            {
                break;
            }

            var (parent, name, index, path) = slots[random.Next(slots.Count)];
            var current = name is null ? parent.AsArray()[index] : parent.AsObject()[name];
            var kind = random.Next(3);
            if (kind == 1)
            {
                if (name is null)
                {
                    parent.AsArray().RemoveAt(index);
                }
                else
                {
                    parent.AsObject().Remove(name);
                }

                applied.Add($"remove {path}");
                continue;
            }

            var replacement = kind == 0 ? null : WrongType(current);
            if (name is null)
            {
                parent.AsArray()[index] = replacement;
            }
            else
            {
                parent.AsObject()[name] = replacement;
            }

            applied.Add($"{(kind == 0 ? "null" : "wrong type")} {path}");
        }

        return (root.ToJsonString(), string.Join("; ", applied));
    }

    private static JsonNode WrongType(JsonNode? current) => current switch
    {
        JsonObject => new JsonArray(1, 2),
        JsonArray => new JsonObject { ["x"] = 1 },
        JsonValue v when v.TryGetValue<string>(out _) => JsonValue.Create(12345),
        JsonValue v when v.TryGetValue<bool>(out _) => JsonValue.Create("yes"),
        JsonValue => JsonValue.Create("not-a-number"),
        _ => new JsonObject(),
    };

    private static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name, -1, $"{path}.{name}"));
                    if (child is not null)
                    {
                        Collect(child, $"{path}.{name}", slots);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i, $"{path}[{i}]"));
                    if (array[i] is { } child)
                    {
                        Collect(child, $"{path}[{i}]", slots);
                    }
                }

                break;
        }
    }
}
