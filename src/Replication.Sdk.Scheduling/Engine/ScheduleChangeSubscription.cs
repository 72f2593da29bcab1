using Microsoft.Extensions.Primitives;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// Follows a store's change tokens and hands each fired token's schedule ids to the consumer (<see langword="null"/> when
/// the token is not a <see cref="ScheduleChangeToken"/>: any schedule may have changed). Unlike <c>ChangeToken.OnChange</c>,
/// the consumer sees the token that fired, not the next one.
/// </summary>
internal sealed class ScheduleChangeSubscription : IDisposable
{
    private readonly Func<IChangeToken> _producer;
    private readonly Action<IReadOnlyCollection<string>?> _consumer;
    private readonly Lock _lock = new();
    private IDisposable? _registration;
    private bool _disposed;

    public ScheduleChangeSubscription(Func<IChangeToken> producer, Action<IReadOnlyCollection<string>?> consumer)
    {
        _producer = producer;
        _consumer = consumer;
        Register();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _registration?.Dispose();
        }
    }

    private void Register()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
        }

        var token = _producer();

        // A token that already fired runs the callback at once, which registers on the store's next token.
        var registration = token.RegisterChangeCallback(
            static s =>
            {
                var (self, fired) = ((ScheduleChangeSubscription, IChangeToken))s!;
                self._consumer(fired is ScheduleChangeToken named ? named.ChangedScheduleIds : null);
                self.Register();
            },
            (this, token));
        lock (_lock)
        {
            if (_disposed)
            {
                registration.Dispose();
                return;
            }

            _registration = registration;
        }
    }
}
