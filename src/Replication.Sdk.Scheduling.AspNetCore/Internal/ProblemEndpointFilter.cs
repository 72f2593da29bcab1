namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>Turns the SDK's typed exceptions into problem details for every API endpoint, so handlers state only the good path.</summary>
internal sealed class ProblemEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ProblemMapper.TryMap(ex) is not null)
        {
            return TypedResults.Problem(ProblemMapper.TryMap(ex)!);
        }
    }
}
