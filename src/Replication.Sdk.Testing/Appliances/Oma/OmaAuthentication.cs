using Microsoft.AspNetCore.Http;

namespace Replication.Sdk.Testing;

/// <summary>The OMA's login route and its bearer-token middleware.</summary>
internal sealed class OmaAuthentication(SimulatorOptions options, OmaSessions sessions)
{
    private DateTimeOffset Local => options.TimeProvider.GetUtcNow().ToOffset(options.OmaLocalOffset);

    /// <summary><c>POST /api/v1/auth/login</c>: only the token is checked; upstream ignores <c>appliance_id</c>.</summary>
    public SimResponse Login(string body)
    {
        var json = GoJson.Decode(body, "LoginRequest", out var root, out var syntaxError);
        var applianceId = json.String(root, "appliance_id");
        var token = json.String(root, "token");
        if ((syntaxError ?? json.TypeError) is { } error)
        {
            return SimResponse.OmaError(400, "Invalid request payload", error, Local);
        }

        if (token != (options.LoginToken ?? "") || (options.RequireApplianceId && applianceId != options.ApplianceId))
        {
            return SimResponse.Ok(new { success = false, error_message = "Invalid credentials" }, 401);
        }

        var (session, expires) = sessions.Login();
        return SimResponse.Ok(new { success = true, session_token = session, expires_at = GoTime.Format(expires.ToOffset(options.OmaLocalOffset)) });
    }

    /// <summary>The middleware: <see langword="null"/> lets the request through.</summary>
    public SimResponse? Authorize(HttpContext context)
    {
        if (options.LoginToken is null)
        {
            return null; // -auth=false
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return SimResponse.OmaError(401, "Missing authorization header", "", Local);
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return SimResponse.OmaError(401, "Invalid authorization format", "", Local);
        }

        return sessions.IsValid(header["Bearer ".Length..]) ? null : SimResponse.OmaError(401, "Invalid or expired token", "", Local);
    }
}
