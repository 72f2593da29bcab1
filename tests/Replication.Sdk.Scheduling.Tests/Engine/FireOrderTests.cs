namespace Replication.Sdk.Scheduling.Tests.Engine;

/// <summary><see cref="FireOrder"/>: each instance takes the occurrences due together in its own, repeatable order.</summary>
public sealed class FireOrderTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EarlierDue_FiresFirst_WhateverTheInstance()
    {
        var due = new List<(string, DateTimeOffset)> { ("b", At.AddSeconds(1)), ("a", At), ("c", At.AddSeconds(-1)) };

        due.Sort(new FireOrder("node-1").Compare);

        due.Select(d => d.Item1).Should().Equal("c", "a", "b");
    }

    [Fact]
    public void ThreeInstances_TakeTheSameSecondsOccurrences_InDifferentOrders_EachRepeatable()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"schedule-{i:D3}").ToList();
        List<string> Order(string instance)
        {
            var due = ids.Select(id => (id, At)).ToList();
            due.Sort(new FireOrder(instance).Compare);
            return due.Select(d => d.id).ToList();
        }

        var orders = new[] { "node-1", "node-2", "node-3" }.Select(Order).ToList();

        orders.Should().OnlyContain(o => o.Order(StringComparer.Ordinal).SequenceEqual(ids), "every occurrence is fired, once");
        Order("node-1").Should().Equal(orders[0], "the same instance id gives the same order");
        orders[0].Should().NotEqual(orders[1]).And.NotEqual(orders[2]);
        orders[1].Should().NotEqual(orders[2]);

        // What the orders are for: the first instance to reach an occurrence claims it. With one shared order every
        // occurrence waits for half the batch on average; with three independent ones, for about a quarter.
        var firstReached = ids.Average(id => orders.Min(o => o.IndexOf(id)));
        firstReached.Should().BeLessThan(0.35 * ids.Count);
        orders.Count(o => o[0] == orders[0][0]).Should().Be(1, "the three do not all start on the same occurrence");
    }
}
