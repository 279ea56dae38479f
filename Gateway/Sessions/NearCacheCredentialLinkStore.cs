using System.Collections.Concurrent;
using Gateway.Configuration;

namespace Gateway.Sessions;

/// <summary>
/// Basic credential links (link → session key) kept beside the <see cref="NearCacheSessionStore"/>, so a client
/// re-sending the same credentials costs no store round trip either. A kept link is used only while the session it
/// points at is itself held there: an invalidated or expired session sends the next lookup back to the store, where
/// another gateway may have linked the credentials to a newer session. Nothing is kept until the channel is confirmed,
/// and everything is dropped when the session cache is emptied. Bounded by <c>Gateway:Store:NearCacheSize</c>.
/// </summary>
internal sealed class NearCacheCredentialLinkStore : ICredentialLinkStore
{
    private readonly ICredentialLinkStore _inner;
    private readonly NearCacheSessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, SessionKey> _links = new(StringComparer.Ordinal);
    private long _lastSweep;

    public NearCacheCredentialLinkStore(ICredentialLinkStore inner, NearCacheSessionStore sessions, StoreOptions options, TimeProvider time)
    {
        _inner = inner;
        _sessions = sessions;
        _time = time;
        _lifetimeTicks = (long)(options.NearCacheLifetime.TotalSeconds * time.TimestampFrequency);
        _capacity = options.NearCacheSize;
        sessions.Cleared += _links.Clear;
    }

    public async Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken)
    {
        if (_links.TryGetValue(link, out var kept) && _sessions.Holds(kept))
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
            Keep(link, key.Value);
        }
        return key;
    }

    public async Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await _inner.SetCredentialLinkAsync(link, key, ttl, cancellationToken);
        Keep(link, key);
    }

    private void Keep(string link, SessionKey key)
    {
        if (!_sessions.Listening)
        {
            return;
        }
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (_links.Count >= _capacity && now - last >= _lifetimeTicks && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
        {
            // Links whose session is no longer held are useless; drop them (at most once per lifetime).
            foreach (var (kept, target) in _links)
            {
                if (!_sessions.Holds(target))
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
}
