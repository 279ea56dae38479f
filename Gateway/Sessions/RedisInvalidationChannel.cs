using Gateway.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Near-cache invalidations over Redis pub/sub: sessions on <c>&lt;prefix&gt;inv</c>, bans on <c>&lt;prefix&gt;inv-bans</c>.
/// A failed or restored connection may have lost messages, so every subscriber is told; the client resubscribes by
/// itself after a reconnect, and a subscription that never succeeded is retried then.
/// </summary>
internal sealed partial class RedisInvalidationChannel(IConnectionMultiplexer redis, IOptions<GatewayOptions> options, ILogger<RedisInvalidationChannel> logger)
    : IInvalidationChannel
{
    private readonly string _prefix = options.Value.Store.KeyPrefix;

    public IInvalidationSubscription Subscribe(InvalidationTopic topic, Action<string> received, Action lost) =>
        new Subscription(redis, logger, ChannelOf(topic), received, lost);

    public async Task PublishAsync(InvalidationTopic topic, string message, CancellationToken cancellationToken)
    {
        var channel = ChannelOf(topic);
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, message).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, channel.ToString(), e.GetType().Name);
        }
    }

    private RedisChannel ChannelOf(InvalidationTopic topic) =>
        RedisChannel.Literal(_prefix + (topic == InvalidationTopic.Bans ? "inv-bans" : "inv"));

    private sealed class Subscription : IInvalidationSubscription
    {
        private readonly IConnectionMultiplexer _redis;
        private readonly ILogger _logger;
        private readonly RedisChannel _channel;
        private readonly Action<string> _received;
        private readonly Action _lost;
        private volatile bool _subscribed;

        public Subscription(IConnectionMultiplexer redis, ILogger logger, RedisChannel channel, Action<string> received, Action lost)
        {
            _redis = redis;
            _logger = logger;
            _channel = channel;
            _received = received;
            _lost = lost;
            redis.ConnectionFailed += OnConnectionChanged;
            redis.ConnectionRestored += OnConnectionChanged;
            _ = SubscribeAsync();
        }

        public bool Listening => _subscribed;

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
            _lost();
            if (!_subscribed)
            {
                _ = SubscribeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 1250, EventName = "NearCacheSubscribeFailed", Level = LogLevel.Warning,
        Message = "Near cache: could not subscribe to {Channel} ({Cause}); nothing is cached until it can.")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, string cause);

    [LoggerMessage(EventId = 1251, EventName = "NearCachePublishFailed", Level = LogLevel.Warning,
        Message = "Near cache: could not publish an invalidation on {Channel} ({Cause}); other gateways see the change within the cache bound.")]
    private static partial void LogPublishFailed(ILogger logger, string channel, string cause);
}
