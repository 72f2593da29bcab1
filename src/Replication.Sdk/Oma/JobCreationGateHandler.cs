namespace Replication.Sdk.Oma;

/// <summary>Asks the host's <see cref="IJobCreationGate"/>s right before a create leaves; other requests pass untouched.</summary>
internal sealed class JobCreationGateHandler(IEnumerable<IJobCreationGate> gates) : DelegatingHandler
{
    private readonly IJobCreationGate[] _gates = [.. gates];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_gates.Length > 0 && IsCreate(request))
        {
            foreach (var gate in _gates)
            {
                try
                {
                    await gate.EnsureMaySendAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    throw new JobCreationRefusedException(ex);
                }
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsCreate(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri is { } uri
        && (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).TrimEnd('/').EndsWith("api/v1/replications", StringComparison.OrdinalIgnoreCase);
}
