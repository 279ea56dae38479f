using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// A short-lived in-process copy of sessions read from Redis, in front of <see cref="RedisSessionStore"/>, so a
/// busy session costs no store round trip on most requests (<c>Gateway:Store:NearCache</c>, off by default).
/// Every gateway publishes the key of each deleted or touched session on <c>&lt;prefix&gt;inv</c>, and every
/// gateway drops its copy when the message arrives: a revoke anywhere takes effect everywhere within the pub/sub
/// delay. Copies also expire after the configured bound, which caps staleness when a message is lost; a lost
/// connection empties the cache, and nothing is cached until the subscription is confirmed. A read that overlaps
/// any invalidation is not cached (it may predate the delete). Only records are cached, never absences.
/// Basic credential links (link → session key) are kept too, but a kept link is used only while the session it
/// points at is itself held here: an invalidated or expired session sends the next lookup back to Redis, where
/// another gateway may have linked the credentials to a newer session.
/// </summary>
internal sealed class NearCacheSessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private readonly NearCacheChannel _channel;
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionKey> _links = new(StringComparer.Ordinal);
    private long _lastSweep;
    private long _lastLinkSweep;

    public NearCacheSessionStore(ISessionStore inner, IConnectionMultiplexer redis, StoreOptions options, TimeProvider time, ILogger<NearCacheSessionStore> logger)
    {
        _inner = inner;
        _time = time;
        _lifetimeTicks = (long)(options.NearCache.TotalSeconds * time.TimestampFrequency);
        _capacity = options.NearCacheSize;
        _channel = new NearCacheChannel(redis, options.KeyPrefix + "inv", Forget, Clear, logger);
    }

    /// <summary>The store for the container: the Redis store, wrapped when <c>Gateway:Store:NearCache</c> is set.</summary>
    public static ISessionStore Create(IServiceProvider services)
    {
        var redis = services.GetRequiredService<RedisSessionStore>();
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store;
        return options.NearCache <= TimeSpan.Zero
            ? redis
            : new NearCacheSessionStore(redis, services.GetRequiredService<IConnectionMultiplexer>(), options,
                services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<NearCacheSessionStore>>());
    }

    public bool SharesRecords => true;

    /// <summary>Sessions currently held (for tests and diagnostics).</summary>
    internal int Count => _entries.Count;

    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(key.Value, out var entry) && now < entry.Expires)
        {
            GatewayTelemetry.NearCache(hit: true);
            return entry.Record;
        }
        GatewayTelemetry.NearCache(hit: false);
        var epoch = _channel.Epoch;
        var record = await _inner.GetAsync(key, cancellationToken);
        if (record is null)
        {
            _entries.TryRemove(key.Value, out _);
        }
        else
        {
            Remember(key, record, epoch, now);
        }
        return record;
    }

    public async Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken)
    {
        var epoch = _channel.Epoch;
        var result = await _inner.CreateAsync(key, record, ttl, cap, cancellationToken);
        foreach (var evicted in result.Evicted)
        {
            Forget(evicted.Key.Value);
            await PublishAsync(evicted.Key, cancellationToken);
        }
        if (result.Created)
        {
            Remember(key, record, epoch, _time.GetTimestamp());
        }
        return result;
    }

    public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) =>
        _inner.IndexAsync(user, now, cancellationToken);

    public async Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken)
    {
        var claimed = await _inner.SupersedeAsync(key, grace, cancellationToken);
        Forget(key.Value);
        await PublishAsync(key, cancellationToken);
        return claimed;
    }

    public Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken) =>
        _inner.SaveRememberAsync(selector, record, cancellationToken);

    public Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken) =>
        _inner.GetRememberAsync(selector, cancellationToken);

    public Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken) =>
        _inner.RotateRememberAsync(selector, expectedHash, nextHash, rotatedAt, cancellationToken);

    public Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken) =>
        _inner.DeleteRememberAsync(selector, user, cancellationToken);

    public Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken) =>
        _inner.RememberSelectorsAsync(user, cancellationToken);

    public async Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _inner.TouchAsync(key, lastSeen, ttl, cancellationToken);
        // Other gateways drop their copy (with the old last-seen); this one keeps a corrected copy until the
        // message comes back, so it does not touch again on every request meanwhile.
        if (_entries.TryGetValue(key.Value, out var entry))
        {
            _entries.TryUpdate(key.Value, entry with { Record = entry.Record with { LastSeen = lastSeen } }, entry);
        }
        await PublishAsync(key, cancellationToken);
    }

    public async Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        Forget(key.Value);
        var deleted = await _inner.DeleteAsync(key, user, cancellationToken);
        Forget(key.Value);
        await PublishAsync(key, cancellationToken);
        return deleted;
    }

    public async Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        Forget(key.Value); // kept when created; no other instance has seen it, so nothing to publish
        await _inner.DiscardAsync(key, user, cancellationToken);
    }

    public async Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken)
    {
        if (_links.TryGetValue(link, out var kept) && Holds(kept))
        {
            return kept;
        }
        var key = await _inner.GetCredentialLinkAsync(link, cancellationToken);
        if (key is null)
        {
            _links.TryRemove(link, out _);
        }
        else
        {
            KeepLink(link, key.Value);
        }
        return key;
    }

    public async Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _inner.SetCredentialLinkAsync(link, key, ttl, cancellationToken);
        KeepLink(link, key);
    }

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
        _inner.GetOrCreateSecretAsync(name, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    public void Dispose() => _channel.Dispose();

    private void Remember(SessionKey key, SessionRecord record, long epoch, long now)
    {
        // A read that overlapped an invalidation may hold a deleted session: serve it once, do not keep it.
        if (!_channel.MayKeep(epoch))
        {
            return;
        }
        if (_entries.Count >= _capacity && !Sweep(now))
        {
            return;
        }
        _entries[key.Value] = new Entry(record, now + _lifetimeTicks);
        if (!_channel.MayKeep(epoch))
        {
            _entries.TryRemove(key.Value, out _);
        }
    }

    // True while the session is held and fresh: only then may a kept link to it stand in for Redis.
    private bool Holds(SessionKey key) => _entries.TryGetValue(key.Value, out var entry) && _time.GetTimestamp() < entry.Expires;

    private void KeepLink(string link, SessionKey key)
    {
        if (!_channel.Subscribed)
        {
            return;
        }
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLinkSweep);
        if (_links.Count >= _capacity && now - last >= _lifetimeTicks && Interlocked.CompareExchange(ref _lastLinkSweep, now, last) == last)
        {
            // Links whose session is no longer held are useless; drop them (at most once per lifetime).
            foreach (var (kept, target) in _links)
            {
                if (!Holds(target))
                {
                    _links.TryRemove(kept, out _);
                }
            }
        }
        if (_links.Count < _capacity)
        {
            _links[link] = key;
        }
    }

    private bool Sweep(long now) =>
        ExpiringEntries.Sweep(_entries, e => e.Expires, ref _lastSweep, now, _lifetimeTicks, _capacity);

    private void Forget(string key)
    {
        _channel.Advance();
        _entries.TryRemove(key, out _);
    }

    private void Clear()
    {
        _entries.Clear();
        _links.Clear();
    }

    private Task PublishAsync(SessionKey key, CancellationToken cancellationToken) => _channel.PublishAsync(key.Value, cancellationToken);

    private sealed record Entry(SessionRecord Record, long Expires);
}
