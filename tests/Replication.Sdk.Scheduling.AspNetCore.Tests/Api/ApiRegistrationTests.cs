using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace Replication.Sdk.Scheduling.AspNetCore.Tests;

/// <summary>No anonymous default: mapping without a policy, or with a policy nobody defined, fails at start.</summary>
public sealed class ApiRegistrationTests
{
    [Fact]
    public void Map_WithoutAPolicyName_FailsValidation()
    {
        var app = Build(policy: null, define: false);

        var act = () => app.MapReplicationSchedulingApi();

        act.Should().Throw<OptionsValidationException>().WithMessage("*AuthorizationPolicy is required*");
    }

    [Fact]
    public void Map_WithAnUndefinedPolicy_Fails_NamingIt()
    {
        var app = Build(policy: "Operators", define: false);

        var act = () => app.MapReplicationDashboard();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Operators'*not defined*");
    }

    [Fact]
    public void Map_WithoutAddReplicationSchedulingApi_Fails_SayingWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();

        var act = () => app.MapReplicationSchedulingApi();

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddReplicationSchedulingApi*");
    }

    [Theory]
    [InlineData(0, 200, 1000, "NextOccurrences must be between 1 and 50; was 0.")]
    [InlineData(5, 0, 1000, "MaxPageSize must be between 1 and 1000; was 0.")]
    [InlineData(5, 200, 5, "VmHistoryLimit must be between 10 and 100000; was 5.")]
    public void Validator_RejectsLimitsOutOfRange_QuotingTheValue(int next, int page, int scan, string message)
    {
        var result = new ReplicationSchedulingApiOptionsValidator().Validate(null, new ReplicationSchedulingApiOptions
        {
            AuthorizationPolicy = "p", NextOccurrences = next, MaxPageSize = page, VmHistoryLimit = scan,
        });

        result.Failures.Should().Equal(message);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new ReplicationSchedulingApiOptions();

        options.Should().BeEquivalentTo(new { AuthorizationPolicy = (string?)null, ReadOnly = false, NextOccurrences = 5, MaxPageSize = 200, VmHistoryLimit = 1000 });
    }

    private static WebApplication Build(string? policy, bool define)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddReplicationScheduling();
        builder.Services.AddAuthorization(o =>
        {
            if (define && policy is not null)
            {
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser());
            }
        });
        builder.Services.AddReplicationSchedulingApi(o => o.AuthorizationPolicy = policy);
        return builder.Build();
    }
}
