using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Replication.Sdk.Oma;
using Replication.Sdk.Vma;

namespace Replication.Sdk.Tests.DependencyInjection;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var vma = new VmaClientOptions();
        vma.BaseAddress.Should().Be(new Uri("http://localhost:9081/"));
        vma.DiscoveryAttemptTimeout.Should().Be(TimeSpan.FromSeconds(120));
        vma.DiscoveryTotalTimeout.Should().Be(TimeSpan.FromMinutes(10));
        vma.RequestTimeout.Should().Be(TimeSpan.FromSeconds(30));
        vma.MaxRetryAttempts.Should().Be(3);
        vma.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(2));
        vma.MaxResponseBytes.Should().Be(32L * 1024 * 1024);

        var oma = new OmaClientOptions();
        oma.BaseAddress.Should().Be(new Uri("http://localhost:8082/"));
        oma.CreateTimeout.Should().Be(TimeSpan.FromSeconds(180));
        oma.RequestTimeout.Should().Be(TimeSpan.FromSeconds(30));
        oma.Authentication.Mode.Should().Be(OmaAuthenticationMode.None);
        oma.Authentication.ClientVersion.Should().Be("replication-sdk");
        oma.MaxResponseBytes.Should().Be(32L * 1024 * 1024);

        new Replication.Sdk.Jobs.ReplicationJobOptions().StaleJobThreshold.Should().Be(TimeSpan.FromHours(2), "the one liveness threshold, for the tracker and the 409 alike");
    }

    [Fact]
    public void Configuration_BindsEveryKeyIncludingEnvironmentVariableForm()
    {
        const string prefix = "RSDK_OPTIONS_TEST_";
        Environment.SetEnvironmentVariable($"{prefix}Replication__Vma__BaseAddress", "http://vma.example.local:9081/");
        Environment.SetEnvironmentVariable($"{prefix}Replication__Vma__AllowInsecureHttp", "true");
        Environment.SetEnvironmentVariable($"{prefix}Replication__Oma__Authentication__Mode", "BearerToken");
        Environment.SetEnvironmentVariable($"{prefix}Replication__Oma__Authentication__BearerToken", "t0k3n");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Replication:Vma:DiscoveryAttemptTimeout"] = "00:03:00",
                    ["Replication:Vma:MaxRetryAttempts"] = "5",
                    ["Replication:Vma:VCenters:0:Host"] = "*",
                    ["Replication:Vma:VCenters:0:Username"] = "u",
                    ["Replication:Vma:VCenters:0:Password"] = "p",
                    ["Replication:Oma:CreateTimeout"] = "00:05:00",
                })
                .AddEnvironmentVariables(prefix)
                .Build();
            using var provider = Build(configuration);

            var vma = provider.GetRequiredService<IOptions<VmaClientOptions>>().Value;
            var oma = provider.GetRequiredService<IOptions<OmaClientOptions>>().Value;

            vma.BaseAddress.Should().Be(new Uri("http://vma.example.local:9081/"));
            vma.AllowInsecureHttp.Should().BeTrue();
            vma.DiscoveryAttemptTimeout.Should().Be(TimeSpan.FromMinutes(3));
            vma.MaxRetryAttempts.Should().Be(5);
            vma.VCenters.Should().ContainSingle().Which.Host.Should().Be("*");
            oma.CreateTimeout.Should().Be(TimeSpan.FromMinutes(5));
            oma.Authentication.Mode.Should().Be(OmaAuthenticationMode.BearerToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}Replication__Vma__BaseAddress", null);
            Environment.SetEnvironmentVariable($"{prefix}Replication__Vma__AllowInsecureHttp", null);
            Environment.SetEnvironmentVariable($"{prefix}Replication__Oma__Authentication__Mode", null);
            Environment.SetEnvironmentVariable($"{prefix}Replication__Oma__Authentication__BearerToken", null);
        }
    }

    [Fact]
    public void ConfigureActions_RunAfterConfiguration()
    {
        var configuration = Config(("Replication:Oma:CreateTimeout", "00:05:00"));
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddReplicationSdk().ConfigureOma(o => o.CreateTimeout = TimeSpan.FromMinutes(7));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<OmaClientOptions>>().Value.CreateTimeout.Should().Be(TimeSpan.FromMinutes(7));
    }

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Replication:Vma:BaseAddress", "ftp://vma/", "Replication:Vma:BaseAddress must be an absolute http or https URI; was 'ftp://vma/…'" },
        { "Replication:Oma:BaseAddress", "/relative", "Replication:Oma:BaseAddress must be an absolute http or https URI" },
        { "Replication:Vma:DiscoveryAttemptTimeout", "00:00:00", "Replication:Vma:DiscoveryAttemptTimeout must be between 00:00:01 and 00:30:00; was 00:00:00" },
        { "Replication:Vma:DiscoveryTotalTimeout", "00:01:00", "Replication:Vma:DiscoveryTotalTimeout (00:01:00) must be at least Replication:Vma:DiscoveryAttemptTimeout (00:02:00)" },
        { "Replication:Oma:CreateTimeout", "02:00:00", "Replication:Oma:CreateTimeout must be between 00:00:01 and 00:30:00; was 02:00:00" },
        { "Replication:Vma:MaxRetryAttempts", "11", "Replication:Vma:MaxRetryAttempts must be between 0 and 10; was 11" },
        { "Replication:Vma:MaxResponseBytes", "1000", "Replication:Vma:MaxResponseBytes must be between 65536 and 1073741824; was 1000" },
        { "Replication:Oma:MaxResponseBytes", "4294967296", "Replication:Oma:MaxResponseBytes must be between 65536 and 1073741824; was 4294967296" },
        { "Replication:Oma:Authentication:Mode", "Login", "Replication:Oma:Authentication:ApplianceId is required when Replication:Oma:Authentication:Mode is Login" },
        { "Replication:Oma:Authentication:Mode", "BearerToken", "Replication:Oma:Authentication:BearerToken is required when Replication:Oma:Authentication:Mode is BearerToken" },
        { "Replication:Vma:Tls:PinnedCertificateSha256", "abc", "Replication:Vma:Tls is set but Replication:Vma:BaseAddress 'http://localhost:9081/' is not https" },
        { "Replication:Oma:Tls:CaCertificatePath", "/no/such/ca.pem", "Replication:Oma:Tls:CaCertificatePath '/no/such/ca.pem' does not exist" },
        { "Replication:Oma:BaseAddress", "http://10.20.30.40:8082/", "Replication:Oma:BaseAddress 'http://10.20.30.40:8082/' is plain http to a host that is not loopback" },
        { "Replication:Vma:BaseAddress", "http://vma.corp.example:9081/", "Use https, or set Replication:Vma:AllowInsecureHttp to true" },
        { "Replication:Vma:BaseAddress", "http://localhost.corp.example:9081/", "Replication:Vma:BaseAddress 'http://localhost.corp.example:9081/' is plain http to a host that is not loopback" },
        { "Replication:Vma:Tls:PinnedCertificateSkipsValidation", "true", "Replication:Vma:Tls:PinnedCertificateSkipsValidation is true but Replication:Vma:Tls:PinnedCertificateSha256 is not set" },
        { "Replication:Vma:VCenters:0:Host", "vc1", "Replication:Vma:VCenters:0:Username is required" },
        { "Replication:Vma:Tls:PinnedCertificateSha256", "   ", "Replication:Vma:Tls:PinnedCertificateSha256 is set but blank" },
        { "Replication:Jobs:StaleJobThreshold", "00:00:00", "Replication:Jobs:StaleJobThreshold must be between 00:01:00 and 30.00:00:00; was 00:00:00" },
        { "Replication:Jobs:StaleJobThreshold", "-02:00:00", "Replication:Jobs:StaleJobThreshold must be between 00:01:00 and 30.00:00:00; was -02:00:00" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task HostStart_InvalidSetting_FailsWithMessageNamingTheKey(string key, string value, string expected) =>
        (await StartFailureAsync(key, value)).Message.Should().Contain(expected);

    [Fact]
    public void UnknownKey_IsAnErrorNamingTheSection()
    {
        using var provider = Build(Config(("Replication:Vma:BaseAdress", "http://typo/")));

        var act = () => provider.GetRequiredService<IOptions<VmaClientOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Replication:Vma").And.Contain("BaseAdress");
    }

    [Theory]
    [InlineData("Replication:Oma:BaseAddress", "http://admin:Pa55-SECRET@oma.example.local:8082/", "must not carry credentials")]
    [InlineData("Replication:Vma:BaseAddress", "https://svc:Pa55-SECRET@vma.example.local/", "must not carry credentials")]
    [InlineData("Replication:Oma:BaseAddress", "http://oma.example.local:8082/?token=Pa55-SECRET", "must not have a query")]
    [InlineData("Replication:Vma:BaseAddress", "ftp://svc:Pa55-SECRET@vma.example.local/?token=Pa55-SECRET", "must be an absolute http or https URI")]
    public async Task HostStart_CredentialsInBaseAddress_FailNamingTheKeyWithoutEchoingThem(string key, string value, string expected) =>
        (await StartFailureAsync(key, value)).Message.Should().Contain(key).And.Contain(expected).And.NotContain("Pa55-SECRET").And.NotContain("admin").And.NotContain("svc:");

    [Theory]
    [InlineData("http://127.0.0.1:9081/")]
    [InlineData("http://127.45.6.7:9081/")]
    [InlineData("http://[::1]:9081/")]
    [InlineData("http://localhost:9081/")]
    [InlineData("https://vma.corp.example/")]
    public async Task HostStart_PlainHttpToLoopbackOrHttpsAnywhere_StartsWithoutAWarning(string baseAddress)
    {
        var (host, logs) = await StartAsync(("Replication:Vma:BaseAddress", baseAddress), ("Replication:Oma:BaseAddress", baseAddress));
        using var _ = host;

        logs.GetSnapshot().Should().NotContain(r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task HostStart_PlainHttpToARemoteHostWithAllowInsecureHttp_StartsAndWarnsNamingTheAppliance()
    {
        var (host, logs) = await StartAsync(
            ("Replication:Vma:BaseAddress", "http://vma.corp.example:9081/"),
            ("Replication:Vma:AllowInsecureHttp", "true"),
            ("Replication:Oma:BaseAddress", "http://10.20.30.40:8082/"),
            ("Replication:Oma:AllowInsecureHttp", "true"));
        using var _ = host;

        var warnings = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        warnings.Should().HaveCount(2);
        warnings.Should().ContainSingle(m => m.StartsWith("Vma base address http://vma.corp.example:9081/ is plain http", StringComparison.Ordinal) && m.Contains("Replication:Vma:AllowInsecureHttp", StringComparison.Ordinal));
        warnings.Should().ContainSingle(m => m.StartsWith("Oma base address http://10.20.30.40:8082/ is plain http", StringComparison.Ordinal) && m.Contains("Replication:Oma:AllowInsecureHttp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_PinSkippingValidation_WarnsWhatIsNotChecked()
    {
        var (host, logs) = await StartAsync(
            ("Replication:Oma:BaseAddress", "https://oma.corp.example/"),
            ("Replication:Oma:Tls:PinnedCertificateSha256", new string('a', 64)),
            ("Replication:Oma:Tls:PinnedCertificateSkipsValidation", "true"));
        using var _ = host;

        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning).Which.Message
            .Should().Be("Oma trusts its pinned TLS certificate on the fingerprint alone (Replication:Oma:Tls:PinnedCertificateSkipsValidation is true): its chain, validity period, usage and host name are not checked");
    }

    private static async Task<(IHost Host, FakeLogCollector Logs)> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(p => p.Key, p => (string?)p.Value));
        builder.Services.AddFakeLogging();
        builder.Services.AddReplicationSdk();
        var host = builder.Build();
        await host.StartAsync();
        return (host, host.Services.GetRequiredService<FakeLogCollector>());
    }

    [Theory]
    [InlineData("random bytes \u0001\u0002, no PEM at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("")]
    public async Task HostStart_CaFileWithoutAReadableCertificate_FailsNamingTheKey_NotLaterAsAnUntrustedAppliance(string content)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, content);
        try
        {
            var message = (await StartFailureAsync("Replication:Oma:Tls:CaCertificatePath", path)).Message;
            message.Should().Contain($"Replication:Oma:Tls:CaCertificatePath '{path}'");
            message.Should().Match(m => m.Contains("holds no PEM CERTIFICATE", StringComparison.Ordinal) || m.Contains("cannot be read as PEM certificates", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<OptionsValidationException> StartFailureAsync(string key, string value, string section = "Replication")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddReplicationSdk(section);
        using var host = builder.Build();

        return (await host.Awaiting(h => h.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;
    }

    [Fact]
    public void ValidationMessages_NeverQuoteSecrets()
    {
        using var provider = Build(Config(
            ("Replication:Vma:VCenters:0:Host", "vc1"), ("Replication:Vma:VCenters:0:Password", "hunter2-secret"),
            ("Replication:Oma:Authentication:Mode", "Login"), ("Replication:Oma:Authentication:LoginToken", "login-secret")));

        var vma = () => provider.GetRequiredService<IOptions<VmaClientOptions>>().Value;
        var oma = () => provider.GetRequiredService<IOptions<OmaClientOptions>>().Value;

        vma.Should().Throw<OptionsValidationException>().Which.Message.Should().NotContain("hunter2-secret");
        oma.Should().Throw<OptionsValidationException>().Which.Message.Should().NotContain("login-secret");
    }

    [Fact]
    public void AddReplicationSdk_Twice_IsHarmless()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk();
        var count = services.Count;
        services.AddReplicationSdk();
        services.Count.Should().Be(count);
    }

    [Fact]
    public void AddReplicationSdk_AnotherSection_FailsNamingBothSections()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk();

        var act = () => services.AddReplicationSdk("Other");

        act.Should().Throw<InvalidOperationException>().WithMessage("*already registered for configuration section 'Replication'*cannot also be registered for 'Other'*one VMA/OMA pair*");
    }

    [Fact]
    public void AddReplicationSdk_SameSectionInAnotherCase_IsTheSameRegistration()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk("Repl2");
        var count = services.Count;

        services.AddReplicationSdk("REPL2").ConfigurationSection.Should().Be("REPL2");
        services.Count.Should().Be(count);
    }

    [Theory]
    [InlineData("Repl2:Vma:MaxRetryAttempts", "11", "Repl2:Vma:MaxRetryAttempts must be between 0 and 10; was 11")]
    [InlineData("Repl2:Oma:Authentication:Mode", "Login", "Repl2:Oma:Authentication:ApplianceId is required when Repl2:Oma:Authentication:Mode is Login")]
    [InlineData("Repl2:Jobs:OsseaConfigId", "0", "Repl2:Jobs:OsseaConfigId must be positive; was 0")]
    [InlineData("Repl2:Jobs:OsseaConfigId", "", "Repl2:Jobs:OsseaConfigId is set but empty")]
    [InlineData("Repl2:Vma:BaseAdress", "http://typo/", "Repl2:Vma")]
    public async Task HostStart_OtherSection_MessagesNameTheSectionActuallyBound(string key, string value, string expected)
    {
        var message = (await StartFailureAsync(key, value, "Repl2")).Message;

        message.Should().Contain(expected).And.NotContain("Replication:");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task HostStart_BlankOsseaConfigId_FailsNamingTheKey(string blank) =>
        (await StartFailureAsync("Replication:Jobs:OsseaConfigId", blank)).Message.Should().Contain("Replication:Jobs:OsseaConfigId");

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task HostStart_BlankTargetNetwork_FailsNamingTheKey(string blank) =>
        (await StartFailureAsync("Replication:Jobs:TargetNetwork", blank)).Message.Should().Contain("Replication:Jobs:TargetNetwork must not be blank");

    [Fact]
    public async Task HostStart_UnsetJobDefaults_StartBecauseTargetsMayCarryThem()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddReplicationSdk();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Replication:Vmaa:BaseAddress", "Replication:Vmaa is not a section any registered package reads (known under Replication: Jobs, Oma, Vma)")]
    [InlineData("Replication:Scheduler:InstanceId", "Replication:Scheduler is not a section any registered package reads")]
    public async Task HostStart_UnknownSectionUnderTheRoot_FailsNamingIt(string key, string expected) =>
        (await StartFailureAsync(key, "x")).Message.Should().Contain(expected);

    [Fact]
    public void TypedClients_AreTransientNotCapturedSingletons()
    {
        var services = new ServiceCollection();
        services.AddReplicationSdk();
        services.Single(d => d.ServiceType == typeof(IVmaClient)).Lifetime.Should().Be(ServiceLifetime.Transient);
        services.Single(d => d.ServiceType == typeof(IOmaClient)).Lifetime.Should().Be(ServiceLifetime.Transient);
    }

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.ToDictionary(p => p.Key, p => (string?)p.Value)).Build();

    private static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddSingleton(configuration);
        services.AddReplicationSdk();
        return services.BuildServiceProvider();
    }
}
