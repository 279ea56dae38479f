using Gateway.Sessions;

namespace Gateway.Tests.Sessions;

/// <summary>An invalidation channel the test drives: what was published, and one subscription told when to listen, receive or lose.</summary>
internal sealed class FakeInvalidationChannel : IInvalidationChannel
{
    public FakeInvalidationSubscription? Subscription { get; private set; }

    public List<(InvalidationTopic Topic, string Message)> Published { get; } = [];

    public IInvalidationSubscription Subscribe(InvalidationTopic topic, Action<string> received, Action lost) =>
        Subscription = new FakeInvalidationSubscription(received, lost);

    public Task PublishAsync(InvalidationTopic topic, string message, CancellationToken cancellationToken)
    {
        Published.Add((topic, message));
        return Task.CompletedTask;
    }
}

/// <summary>The subscription of a <see cref="FakeInvalidationChannel"/>.</summary>
internal sealed class FakeInvalidationSubscription(Action<string> received, Action lost) : IInvalidationSubscription
{
    public bool Listening { get; set; }

    public void Receive(string message) => received(message);

    public void Lose() => lost();

    public void Dispose()
    {
    }
}
