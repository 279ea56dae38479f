namespace Gateway.Sessions;

/// <summary>
/// How gateways sharing a store tell each other what their near caches must drop (Redis pub/sub; a relational store
/// would use its own notifications). A message reaches every subscriber, this gateway included. Delivery is best
/// effort: what a subscriber must learn is that messages may have been missed, so that it empties its cache.
/// </summary>
internal interface IInvalidationChannel
{
    /// <summary>
    /// Listens on <paramref name="topic"/>: each message is handed to <paramref name="received"/>, and
    /// <paramref name="lost"/> is called whenever messages may have been missed (the connection failed, or came back),
    /// so the cache empties. Returns at once; <see cref="IInvalidationSubscription.Listening"/> says when it is confirmed.
    /// </summary>
    IInvalidationSubscription Subscribe(InvalidationTopic topic, Action<string> received, Action lost);

    /// <summary>
    /// Tells every gateway to drop <paramref name="message"/>. A failure is logged, not thrown: the change itself is
    /// done, and other gateways fall back on the cache bound.
    /// </summary>
    Task PublishAsync(InvalidationTopic topic, string message, CancellationToken cancellationToken);
}
