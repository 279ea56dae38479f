using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Sessions;

/// <summary>
/// The near cache against the <see cref="IInvalidationChannel"/> contract, whatever carries it: nothing kept before the
/// channel listens, a message drops its session, a lost channel empties the cache, and every change is published.
/// </summary>
public sealed class NearCacheSessionStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    private readonly ManualTimeProvider _time = new();
    private readonly CountingStore _inner;
    private readonly FakeInvalidationChannel _channel = new();
    private readonly NearCacheSessionStore _cache;

    public NearCacheSessionStoreTests()
    {
        _inner = new CountingStore(new InMemorySessionStore(_time));
        _cache = new NearCacheSessionStore(_inner, _channel, new StoreOptions { NearCache = TimeSpan.FromSeconds(10) }, _time);
    }

    [Fact]
    public async Task GetAsync_ChannelNotListening_EveryReadAsksTheStore()
    {
        var key = await CreateAsync();

        await ReadTwiceAsync(key);

        Assert.Equal(2, _inner.Reads);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task GetAsync_ChannelListening_SecondReadServedFromCache()
    {
        _channel.Subscription!.Listening = true;
        var key = await CreateAsync();
        _channel.Subscription.Receive(key.Value); // created sessions are kept too: dropped, so the first read asks the store

        await ReadTwiceAsync(key);

        Assert.Equal(1, _inner.Reads);
    }

    [Fact]
    public async Task Receive_KeptSession_DroppedAndReadAgain()
    {
        _channel.Subscription!.Listening = true;
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        _channel.Subscription.Receive(key.Value);
        await _cache.GetAsync(key, CancellationToken.None);

        Assert.Equal(1, _inner.Reads);
    }

    [Fact]
    public async Task Lost_KeptSessions_CacheEmptied()
    {
        _channel.Subscription!.Listening = true;
        var cleared = 0;
        _cache.Cleared += () => cleared++;
        await CreateAsync();
        await CreateAsync();
        Assert.Equal(2, _cache.Count);

        _channel.Subscription.Lose();

        Assert.Equal(0, _cache.Count);
        Assert.Equal(1, cleared);
    }

    [Fact]
    public async Task DeleteTouchSupersede_EachPublishedOnTheSessionsTopic()
    {
        var deleted = await CreateAsync();
        var touched = await CreateAsync();
        var superseded = await CreateAsync();

        await _cache.DeleteAsync(deleted, "alice", CancellationToken.None);
        await _cache.TouchAsync(touched, _time.GetUtcNow(), Ttl, CancellationToken.None);
        await _cache.SupersedeAsync(superseded, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal([deleted.Value, touched.Value, superseded.Value], _channel.Published.Select(p => p.Message));
        Assert.All(_channel.Published, p => Assert.Equal(InvalidationTopic.Sessions, p.Topic));
    }

    private async Task ReadTwiceAsync(SessionKey key)
    {
        Assert.NotNull(await _cache.GetAsync(key, CancellationToken.None));
        Assert.NotNull(await _cache.GetAsync(key, CancellationToken.None));
    }

    private async Task<SessionKey> CreateAsync()
    {
        var now = _time.GetUtcNow();
        var key = SessionId.New().Key;
        var record = new SessionRecord("alice", ["user"], now, now, now + TimeSpan.FromHours(12), "192.0.2.1", "test", "stamp", "form", now);
        Assert.True((await _cache.CreateAsync(key, record, Ttl, SessionCap.None, CancellationToken.None)).Created);
        return key;
    }

    private sealed class CountingStore(ISessionStore inner) : ISessionStore
    {
        private int _reads;

        public int Reads => _reads;

        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(key, cancellationToken);
        }

        public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken) =>
            inner.CreateAsync(key, record, ttl, cap, cancellationToken);

        public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) => inner.IndexAsync(user, now, cancellationToken);

        public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken) => inner.SupersedeAsync(key, grace, cancellationToken);

        public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.TouchAsync(key, lastSeen, ttl, cancellationToken);

        public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DeleteAsync(key, user, cancellationToken);

        public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DiscardAsync(key, user, cancellationToken);
    }
}
