using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Replication.Sdk.Jobs;
using Replication.Sdk.Oma;
using Replication.Sdk.Scheduling;
using Replication.Sdk.Scheduling.MySql;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Docs.Tests;

/// <summary>
/// docs/configuration.md is the contract: every key its tables list binds, from environment variables and from JSON, in
/// a host with every package registered, and every bindable property of the options types is listed there.
/// </summary>
public sealed class ConfigurationKeyTests
{
    private static readonly IReadOnlyList<DocumentedSection> Sections = ConfigurationDoc.Read();

    private static readonly Dictionary<string, Type> OptionsTypes = new[]
    {
        typeof(VmaClientOptions), typeof(OmaClientOptions), typeof(ReplicationJobOptions), typeof(SchedulerOptions), typeof(MySqlStoreOptions),
    }.ToDictionary(t => t.Name);

    public static TheoryData<string> SectionPaths => [.. Sections.Select(s => s.Path)];

    [Fact]
    public void Page_DocumentsEveryOptionsTypeOnce()
    {
        Sections.Select(s => s.OptionsTypeName).Should().BeEquivalentTo(OptionsTypes.Keys);
        Sections.Select(s => s.Path).Should().BeEquivalentTo(
            ["Replication:Vma", "Replication:Oma", "Replication:Jobs", "Replication:Scheduler", "Replication:Scheduler:MySql"]);
    }

    [Theory]
    [MemberData(nameof(SectionPaths))]
    public void Table_ListsExactlyTheBindableProperties(string path)
    {
        var section = Sections.Single(s => s.Path == path);

        section.Keys.Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(OptionsKeys.Of(OptionsTypes[section.OptionsTypeName]), "the table of {0} in {1} and the options type must agree", path, ConfigurationDoc.Page);
    }

    [Fact]
    public void EveryDocumentedKey_BindsFromEnvironmentVariables()
    {
        var expected = ExpectedValues();
        const string prefix = "RSDK_DOCS_KEYS_";
        var names = expected.Keys.Select(k => prefix + k.Replace(":N:", ":0:", StringComparison.Ordinal).Replace(":", "__", StringComparison.Ordinal)).ToList();
        try
        {
            foreach (var (name, value) in names.Zip(expected.Values))
            {
                Environment.SetEnvironmentVariable(name, OptionsKeys.Format(value));
            }

            AssertBound(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build(), expected);
        }
        finally
        {
            names.ForEach(n => Environment.SetEnvironmentVariable(n, null));
        }
    }

    [Fact]
    public void EveryDocumentedKey_BindsFromJson()
    {
        var expected = ExpectedValues();
        var root = new JsonObject();
        foreach (var (key, value) in expected)
        {
            Set(root, key.Split(':'), value);
        }

        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
        AssertBound(new ConfigurationBuilder().AddJsonStream(json).Build(), expected);
    }

    [Fact]
    public void MySqlConnectionString_FromTheDocumentedEnvironmentVariable_PassesStartValidation()
    {
        // The documented route of the issue: it used to stop the host ("ErrorOnUnknownConfiguration … 'MySql'").
        const string name = "RSDK_DOCS_START_Replication__Scheduler__MySql__ConnectionString";
        Environment.SetEnvironmentVariable(name, "Server=127.0.0.1;Database=oma;User ID=rsdk;Password=secret");
        try
        {
            using var provider = Provider(new ConfigurationBuilder().AddEnvironmentVariables("RSDK_DOCS_START_").Build());

            provider.GetRequiredService<IStartupValidator>().Validate();

            provider.GetRequiredService<IOptions<MySqlStoreOptions>>().Value.ConnectionString.Should().Contain("Database=oma");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("Replication:Scheduler:MySql:ConnectionStrin", "Replication:Scheduler:MySql", "ConnectionStrin")]
    [InlineData("Replication:Scheduler:MaxConcurentJobs", "Replication:Scheduler", "MaxConcurentJobs")]
    [InlineData("Replication:Sheduler:MaxConcurrentJobs", "Replication:Sheduler", "not a section any registered package reads")]
    public void Typo_NextToAnotherPackagesSection_IsStillAStartError(string key, string section, string detail)
    {
        using var provider = Provider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Replication:Scheduler:MySql:ConnectionString"] = "Server=127.0.0.1;Database=oma",
            [key] = "1",
        }).Build());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(section).And.Contain(detail);
    }

    private static Dictionary<string, object> ExpectedValues()
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var index = 0;
        foreach (var section in Sections)
        {
            var defaults = Activator.CreateInstance(OptionsTypes[section.OptionsTypeName])!;
            foreach (var key in section.Keys)
            {
                var property = PropertyOf(OptionsTypes[section.OptionsTypeName], key);
                var defaultValue = key.Contains(":N:", StringComparison.Ordinal) ? null : OptionsKeys.Resolve(defaults, key) is var (holder, p) ? p.GetValue(holder) : null;
                values[$"{section.Path}:{key}"] = OptionsKeys.SampleValue(property.PropertyType, defaultValue, index++);
            }
        }

        return values;
    }

    private static System.Reflection.PropertyInfo PropertyOf(Type type, string key)
    {
        var current = type;
        var segments = key.Split(':');
        foreach (var segment in segments[..^1])
        {
            if (segment == "N")
            {
                current = current.GetGenericArguments()[0];
                continue;
            }

            current = current.GetProperty(segment)?.PropertyType ?? throw new InvalidOperationException($"{type.Name} has no {segment} (key {key}).");
        }

        return current.GetProperty(segments[^1]) ?? throw new InvalidOperationException($"{type.Name} has no property for key {key}.");
    }

    private static void AssertBound(IConfiguration configuration, Dictionary<string, object> expected)
    {
        using var provider = Provider(configuration);
        foreach (var section in Sections)
        {
            var options = Bind(provider, OptionsTypes[section.OptionsTypeName]);
            foreach (var key in section.Keys)
            {
                var (holder, property) = OptionsKeys.Resolve(options, key);
                property.GetValue(holder).Should().Be(expected[$"{section.Path}:{key}"], "{0}:{1} is documented", section.Path, key);
            }
        }
    }

    // Runs the registered configure steps (the strict binding) without the validators: the sample values only have to
    // be of the right type, and some documented keys exclude each other (a CA file and a pin).
    private static object Bind(IServiceProvider provider, Type optionsType)
    {
        var options = Activator.CreateInstance(optionsType)!;
        var configureType = typeof(IConfigureOptions<>).MakeGenericType(optionsType);
        var steps = (IEnumerable<object>)provider.GetServices(configureType);
        steps.Should().NotBeEmpty("{0} is bound from configuration", optionsType.Name);
        foreach (var step in steps)
        {
            configureType.GetMethod(nameof(IConfigureOptions<object>.Configure))!.Invoke(step, [options]);
        }

        return options;
    }

    private static ServiceProvider Provider(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddReplicationScheduling().UseMySqlStores();
        return services.BuildServiceProvider();
    }

    private static void Set(JsonObject node, string[] path, object value)
    {
        if (path.Length == 1)
        {
            node[path[0]] = value switch
            {
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(OptionsKeys.Format(value)),
            };
            return;
        }

        if (path[1] == "N")
        {
            var array = node[path[0]] as JsonArray ?? (JsonArray)(node[path[0]] = new JsonArray());
            if (array.Count == 0)
            {
                array.Add(new JsonObject());
            }

            Set((JsonObject)array[0]!, path[2..], value);
            return;
        }

        var child = node[path[0]] as JsonObject ?? (JsonObject)(node[path[0]] = new JsonObject());
        Set(child, path[1..], value);
    }
}
