namespace Replication.Sdk.Oma;

internal static class OmaConstants
{
    public const string SectionName = "Oma";
    public const string CreateEndpoint = "POST /api/v1/replications";
    public const string GetJobEndpoint = "GET /api/v1/replications/{id}";
    public const string DeleteJobEndpoint = "DELETE /api/v1/replications/{id}";
    public const string ListContextsEndpoint = "GET /api/v1/vm-contexts";
    public const string GetContextEndpoint = "GET /api/v1/vm-contexts/{vm_name}";
    public const string RecentJobsEndpoint = "GET /api/v1/vm-contexts/{context_id}/recent-jobs";
    public const string LoginEndpoint = "POST /api/v1/auth/login";
    public const string HealthEndpoint = "GET /health";
    public const string ExpiredTokenError = "Invalid or expired token";
    public const string DefaultClientVersion = "replication-sdk";

    public static readonly Uri DefaultBaseAddress = new("http://localhost:8082/");
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultCreateTimeout = TimeSpan.FromSeconds(180);
    public const int DefaultMaxRetryAttempts = 3;
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;
    public const long MinMaxResponseBytes = 64L * 1024;
    public const long MaxMaxResponseBytes = 1024L * 1024 * 1024;
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRefreshBeforeExpiry = TimeSpan.FromMinutes(1);
}
