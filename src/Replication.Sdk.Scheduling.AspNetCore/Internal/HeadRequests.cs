using Microsoft.AspNetCore.Http.Features;

namespace Replication.Sdk.Scheduling.AspNetCore;

/// <summary>
/// Answers <c>HEAD</c> wherever the API answers <c>GET</c> (RFC 9110 §9.3.2): the same handler runs, so the status and
/// headers are the GET's, and the body it writes is discarded.
/// </summary>
internal static class HeadRequests
{
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(new BodyDiscardingFilter());

        // Finally: after every endpoint's own conventions have set its methods.
        builder.Finally(endpoint =>
        {
            for (var i = 0; i < endpoint.Metadata.Count; i++)
            {
                if (endpoint.Metadata[i] is HttpMethodMetadata methods
                    && methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                    && !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
                {
                    endpoint.Metadata[i] = new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight);
                }
            }
        });
        return builder;
    }

    private sealed class BodyDiscardingFilter : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(next);
            var http = context.HttpContext;
            if (HttpMethods.IsHead(http.Request.Method) && http.Features.Get<IHttpResponseBodyFeature>() is { } body)
            {
                // The server need not drop a HEAD response's body itself: nothing is written to the client.
                http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
            }

            return next(context);
        }
    }
}
