using System.Collections.Immutable;

namespace Gateway.Sessions;

/// <summary>
/// The invalidation channel of a store that one process writes to (SQLite, whose file a lock keeps to one gateway):
/// a message reaches this process's subscribers at once, inside the publishing call, and is never lost, so the near
/// cache in front of such a store is exact for every change the gateway makes. A change made beside it by another
/// process (the <c>sessions</c> command on the same file) reaches no subscriber: the near-cache lifetime bounds how
/// long a copy outlives it.
/// </summary>
internal sealed class LocalInvalidationChannel : IInvalidationChannel
{
    private readonly Lock _gate = new();
    private ImmutableArray<Subscription> _subscriptions = [];

    public IInvalidationSubscription Subscribe(InvalidationTopic topic, Action<string> received, Action lost)
    {
        var subscription = new Subscription(this, topic, received);
        lock (_gate)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }
        return subscription;
    }

    public Task PublishAsync(InvalidationTopic topic, string message, CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Topic == topic)
            {
                subscription.Received(message);
            }
        }
        return Task.CompletedTask;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(LocalInvalidationChannel channel, InvalidationTopic topic, Action<string> received) : IInvalidationSubscription
    {
        public InvalidationTopic Topic => topic;

        public Action<string> Received => received;

        // Nothing to confirm: the publisher calls this process's subscribers itself.
        public bool Listening => true;

        public void Dispose() => channel.Remove(this);
    }
}
