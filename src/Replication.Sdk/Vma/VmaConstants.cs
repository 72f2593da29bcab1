namespace Replication.Sdk.Vma;

internal static class VmaConstants
{
    public const string SectionName = "Vma";
    public const string DiscoverEndpoint = "POST /api/v1/discover";
    public const string HealthEndpoint = "GET /api/v1/health";
    public const string StatusEndpoint = "GET /api/v1/status/{job_id}";
    public const string ProgressEndpoint = "GET /api/v1/progress/{jobId}";

    public static readonly Uri DefaultBaseAddress = new("http://localhost:9081/");
    public static readonly TimeSpan DefaultDiscoveryAttemptTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultDiscoveryTotalTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaxRetryAttempts = 3;
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;
    public const long MinMaxResponseBytes = 64L * 1024;
    public const long MaxMaxResponseBytes = 1024L * 1024 * 1024;
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(2);
}
