using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Telemetry;

namespace Gateway.Sessions;

/// <summary>
/// A short-lived in-process copy of sessions read from a shared store (Redis), in front of its
/// <see cref="ISessionStore"/>, so a busy session costs no store round trip on most requests
/// (<c>Gateway:Store:NearCache</c>, 1 s by default). Every gateway publishes the key of each deleted, touched or superseded session on
/// the store's <see cref="IInvalidationChannel"/>, and every gateway drops its copy when the message arrives: a revoke
/// anywhere takes effect everywhere within the channel's delay. Copies also expire after the configured bound, which
/// caps staleness when a message is lost; a lost channel empties the cache, and nothing is cached until the
/// subscription is confirmed. A read that overlaps any invalidation is not cached (it may predate the delete). Only
/// records are cached, never absences. <see cref="NearCacheCredentialLinkStore"/> keeps Basic credential links beside it.
/// </summary>
internal sealed class NearCacheSessionStore : ISessionStore, IDisposable
{
    private readonly ISessionStore _inner;
    private readonly NearCacheChannel _channel;
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep;

    public NearCacheSessionStore(ISessionStore inner, IInvalidationChannel channel, StoreOptions options, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _lifetimeTicks = (long)(options.NearCacheLifetime.TotalSeconds * time.TimestampFrequency);
        _capacity = options.NearCacheSize;
        _channel = new NearCacheChannel(channel, InvalidationTopic.Sessions, Forget, Clear);
    }

    /// <summary>Raised when the cache is emptied because invalidations may have been missed.</summary>
    public event Action? Cleared;

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

    public ValueTask<SessionRecord?> GetFreshAsync(SessionKey key, CancellationToken cancellationToken) => _inner.GetAsync(key, cancellationToken);

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

    public void Dispose() => _channel.Dispose();

    /// <summary>True while the channel is confirmed: only then may anything derived from held sessions be kept.</summary>
    internal bool Listening => _channel.Subscribed;

    /// <summary>True while the session is held and fresh.</summary>
    internal bool Holds(SessionKey key) => _entries.TryGetValue(key.Value, out var entry) && _time.GetTimestamp() < entry.Expires;

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
        Cleared?.Invoke();
    }

    private Task PublishAsync(SessionKey key, CancellationToken cancellationToken) => _channel.PublishAsync(key.Value, cancellationToken);

    private sealed record Entry(SessionRecord Record, long Expires);
}
