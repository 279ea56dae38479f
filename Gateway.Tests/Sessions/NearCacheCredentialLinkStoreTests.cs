using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Sessions;

/// <summary>
/// Basic credential links kept beside the near cache (<see cref="NearCacheCredentialLinkStore"/>), without a store
/// server: a kept link answers only while its session is held, nothing is kept before the channel listens, and a
/// lost channel forgets them all.
/// </summary>
public sealed class NearCacheCredentialLinkStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    private readonly ManualTimeProvider _time = new();
    private readonly FakeInvalidationChannel _channel = new();
    private readonly InMemorySessionStore _store;
    private readonly CountingLinks _inner;
    private readonly NearCacheSessionStore _sessions;
    private readonly NearCacheCredentialLinkStore _links;

    public NearCacheCredentialLinkStoreTests()
    {
        _store = new InMemorySessionStore(_time);
        _inner = new CountingLinks(_store);
        var options = new StoreOptions { NearCache = TimeSpan.FromSeconds(10) };
        _sessions = new NearCacheSessionStore(_store, _channel, options, _time);
        _links = new NearCacheCredentialLinkStore(_inner, _sessions, options, _time);
    }

    [Fact]
    public async Task Get_LinkOfAHeldSession_AnsweredWithoutTheStore()
    {
        _channel.Subscription!.Listening = true;
        var key = await LinkedSessionAsync("link");

        Assert.Equal(key, await _links.GetCredentialLinkAsync("link", CancellationToken.None));
        Assert.Equal(0, _inner.Reads);
    }

    [Fact]
    public async Task Get_LinkWhoseSessionWasDropped_AskedOfTheStore()
    {
        _channel.Subscription!.Listening = true;
        var key = await LinkedSessionAsync("link");

        _channel.Subscription.Receive(key.Value);

        Assert.Equal(key, await _links.GetCredentialLinkAsync("link", CancellationToken.None));
        Assert.Equal(1, _inner.Reads);
    }

    [Fact]
    public async Task Get_ChannelNotListening_EveryLookupAsksTheStore()
    {
        var key = await LinkedSessionAsync("link");

        Assert.Equal(key, await _links.GetCredentialLinkAsync("link", CancellationToken.None));
        Assert.Equal(key, await _links.GetCredentialLinkAsync("link", CancellationToken.None));
        Assert.Equal(2, _inner.Reads);
    }

    [Fact]
    public async Task Lost_KeptLinks_AskedOfTheStoreAgain()
    {
        _channel.Subscription!.Listening = true;
        var key = await LinkedSessionAsync("link");

        _channel.Subscription.Lose();

        Assert.Equal(key, await _links.GetCredentialLinkAsync("link", CancellationToken.None));
        Assert.Equal(1, _inner.Reads);
    }

    [Fact]
    public async Task Get_UnknownLink_NullFromTheStore()
    {
        _channel.Subscription!.Listening = true;

        Assert.Null(await _links.GetCredentialLinkAsync("unknown", CancellationToken.None));
        Assert.Equal(1, _inner.Reads);
    }

    // A session created through the near cache (so held once the channel listens) and linked to <link>.
    private async Task<SessionKey> LinkedSessionAsync(string link)
    {
        var now = _time.GetUtcNow();
        var key = SessionId.New().Key;
        var record = new SessionRecord("alice", ["user"], now, now, now + TimeSpan.FromHours(12), "192.0.2.1", "test", "stamp", "basic", now);
        Assert.True((await _sessions.CreateAsync(key, record, Ttl, SessionCap.None, CancellationToken.None)).Created);
        await _links.SetCredentialLinkAsync(link, key, Ttl, CancellationToken.None);
        return key;
    }

    private sealed class CountingLinks(ICredentialLinkStore inner) : ICredentialLinkStore
    {
        public int Reads { get; private set; }

        public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken)
        {
            Reads++;
            return inner.GetCredentialLinkAsync(link, cancellationToken);
        }

        public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
            inner.SetCredentialLinkAsync(link, key, ttl, cancellationToken);
    }
}
