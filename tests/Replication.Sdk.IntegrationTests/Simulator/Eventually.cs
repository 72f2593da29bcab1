namespace Replication.Sdk.IntegrationTests.Simulator;

/// <summary>Waits for a state another thread produces (a request in flight on the simulator), not for time to pass.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            bound.IsCancellationRequested.Should().BeFalse(because);
            await Task.Yield();
            await Task.Delay(1, CancellationToken.None);
        }
    }
}
