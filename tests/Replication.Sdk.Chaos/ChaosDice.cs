namespace Replication.Sdk.Chaos;

/// <summary>The soak's seeded randomness for what the simulator's fault plan does not cover (the store), counted.</summary>
internal sealed class ChaosDice(int seed, double storeFaultRate)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);

    public int StoreFailuresBefore { get; private set; }

    public int StoreFailuresAfter { get; private set; }

    public bool StoreFailsBefore() => Roll(storeFaultRate, () => StoreFailuresBefore++);

    public bool StoreFailsAfter() => Roll(storeFaultRate / 2, () => StoreFailuresAfter++);

    private bool Roll(double rate, Action count)
    {
        lock (_lock)
        {
            if (_random.NextDouble() < rate)
            {
                count();
                return true;
            }

            return false;
        }
    }
}
