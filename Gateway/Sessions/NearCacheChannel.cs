namespace Gateway.Sessions;

/// <summary>
/// The invalidation side of one near cache (sessions, the throttle's "not banned" memo): a subscription to one topic
/// of the store's <see cref="IInvalidationChannel"/>, and an epoch that moves on every invalidation, so a cache can
/// refuse to keep a read that overlapped one (the read may predate the change). Nothing may be kept until the
/// subscription is confirmed (<see cref="MayKeep"/>), since nothing would drop it; when messages may have been lost
/// the cache is emptied.
/// </summary>
internal sealed class NearCacheChannel : IDisposable
{
    private readonly IInvalidationChannel _channel;
    private readonly InvalidationTopic _topic;
    private readonly Action _reset;
    private readonly IInvalidationSubscription _subscription;
    private long _epoch;

    /// <summary>
    /// Subscribes to <paramref name="topic"/>: each message is handed to <paramref name="received"/>, and
    /// <paramref name="reset"/> empties the cache when messages may have been lost.
    /// </summary>
    public NearCacheChannel(IInvalidationChannel channel, InvalidationTopic topic, Action<string> received, Action reset)
    {
        _channel = channel;
        _topic = topic;
        _reset = reset;
        _subscription = channel.Subscribe(topic, received, OnLost);
    }

    /// <summary>False until the subscription is confirmed: nothing may be cached before.</summary>
    public bool Subscribed => _subscription.Listening;

    /// <summary>Read before a store read; passed to <see cref="MayKeep"/> after it.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Something is being invalidated (a message, a local change): reads in flight must not be kept.</summary>
    public void Advance() => Interlocked.Increment(ref _epoch);

    /// <summary>True while subscribed and nothing was invalidated since <paramref name="epoch"/> was read.</summary>
    public bool MayKeep(long epoch) => Subscribed && Interlocked.Read(ref _epoch) == epoch;

    /// <summary>Tells every gateway (this one included) to drop <paramref name="message"/>; a failure is logged, not thrown.</summary>
    public Task PublishAsync(string message, CancellationToken cancellationToken) => _channel.PublishAsync(_topic, message, cancellationToken);

    public void Dispose() => _subscription.Dispose();

    private void OnLost()
    {
        Advance();
        _reset();
    }
}
