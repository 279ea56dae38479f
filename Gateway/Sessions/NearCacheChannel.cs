using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// The invalidation side of a near cache (sessions, the throttle's "not banned" memo): a subscription to one Redis
/// channel whose messages name what every gateway must drop, and an epoch that moves on every invalidation, so a
/// cache can refuse to keep a read that overlapped one (the read may predate the change). Nothing may be kept until
/// the subscription is confirmed (<see cref="MayKeep"/>), since nothing would drop it; a lost or restored connection
/// may have lost messages, so the cache is emptied.
/// </summary>
internal sealed partial class NearCacheChannel : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly Action<string> _received;
    private readonly Action _reset;
    private readonly ILogger _logger;
    private long _epoch;
    private volatile bool _subscribed;

    /// <summary>
    /// Subscribes to <paramref name="channel"/>: each message is handed to <paramref name="received"/>, and
    /// <paramref name="reset"/> empties the cache when the connection fails or comes back.
    /// </summary>
    public NearCacheChannel(IConnectionMultiplexer redis, string channel, Action<string> received, Action reset, ILogger logger)
    {
        _redis = redis;
        _channel = RedisChannel.Literal(channel);
        _received = received;
        _reset = reset;
        _logger = logger;
        redis.ConnectionFailed += OnConnectionChanged;
        redis.ConnectionRestored += OnConnectionChanged;
        _ = SubscribeAsync();
    }

    /// <summary>False until the subscription is confirmed: nothing may be cached before.</summary>
    public bool Subscribed => _subscribed;

    /// <summary>Read before a store read; passed to <see cref="MayKeep"/> after it.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Something is being invalidated (a message, a local change): reads in flight must not be kept.</summary>
    public void Advance() => Interlocked.Increment(ref _epoch);

    /// <summary>True while subscribed and nothing was invalidated since <paramref name="epoch"/> was read.</summary>
    public bool MayKeep(long epoch) => _subscribed && Interlocked.Read(ref _epoch) == epoch;

    /// <summary>Tells every gateway (this one included) to drop <paramref name="message"/>; a failure is logged, not thrown.</summary>
    public async Task PublishAsync(string message, CancellationToken cancellationToken)
    {
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, message).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The write itself succeeded; other gateways fall back on the cache bound.
            LogPublishFailed(_logger, _channel.ToString(), e.GetType().Name);
        }
    }

    public void Dispose()
    {
        _redis.ConnectionFailed -= OnConnectionChanged;
        _redis.ConnectionRestored -= OnConnectionChanged;
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var queue = await _redis.GetSubscriber().SubscribeAsync(_channel);
            queue.OnMessage(message => _received(message.Message.ToString()));
            _subscribed = true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogSubscribeFailed(_logger, _channel.ToString(), e.GetType().Name);
        }
    }

    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs args)
    {
        // Invalidations may have been missed while the connection was down.
        Advance();
        _reset();
        if (!_subscribed)
        {
            _ = SubscribeAsync();
        }
    }

    [LoggerMessage(EventId = 1250, EventName = "NearCacheSubscribeFailed", Level = LogLevel.Warning,
        Message = "Near cache: could not subscribe to {Channel} ({Cause}); nothing is cached until it can.")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, string cause);

    [LoggerMessage(EventId = 1251, EventName = "NearCachePublishFailed", Level = LogLevel.Warning,
        Message = "Near cache: could not publish an invalidation on {Channel} ({Cause}); other gateways see the change within the cache bound.")]
    private static partial void LogPublishFailed(ILogger logger, string channel, string cause);
}
