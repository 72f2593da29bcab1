namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>Defaults and fixed names of the API and the dashboard.</summary>
internal static class ApiConstants
{
    public const int DefaultNextOccurrences = 5;
    public const int DefaultMaxPageSize = 200;
    public const int DefaultPageSize = 50;
    public const int DefaultVmHistoryLimit = 1000;
    public const string DefaultApiPrefix = "/api/replication";
    public const string DefaultDashboardPrefix = "/replication";

    /// <summary>The OpenAPI document's name: the API's endpoints carry it as their group name, so they are its only content.</summary>
    public const string OpenApiDocumentName = "replication-scheduling";

    public const string ProblemTypeBase = "https://github.com/replication-sdk/replication-sdk/blob/main/docs/dashboard.md#problem-";
}
