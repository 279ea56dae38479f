using System.Collections.Concurrent;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// Remembers the parse of recently resolved session ids (id → store key), so the SHA-256 behind
/// <see cref="SessionId.TryParse"/> runs once per session per near-cache lifetime instead of on every request. Keyed by
/// the full presented id (ordinal), so a hit gives exactly what parsing that id gives; an id enters only after the
/// store found a live session for it (<see cref="Remember"/>), so ids the store does not know (guesses, ended
/// sessions) never fill it and always take the full parse. Bounded by <c>Gateway:Store:NearCacheSize</c>; on only
/// while the near cache is (<c>Gateway:Store:NearCache</c>): without it every request asks Redis, and the hash is
/// nothing beside that round trip. The process then holds the ids of sessions in use, as the request headers do.
/// </summary>
internal sealed class SessionKeyCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;
    private long _lastSweep;

    public SessionKeyCache(IOptions<GatewayOptions> options, TimeProvider time)
    {
        var store = options.Value.Store;
        _time = time;
        _lifetimeTicks = (long)(store.NearCacheLifetime.TotalSeconds * time.TimestampFrequency);
        _capacity = store.NearCacheSize;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Ids held (for tests).</summary>
    internal int Count => _entries.Count;

    /// <summary><see cref="SessionId.TryParse"/>, answered from memory for an id resolved recently.</summary>
    public bool TryParse(string? text, out SessionId id)
    {
        if (_lifetimeTicks > 0 && text is not null && _entries.TryGetValue(text, out var entry) && _time.GetTimestamp() < entry.Expires)
        {
            id = entry.Id;
            return true;
        }
        return SessionId.TryParse(text, out id);
    }

    /// <summary>The same, for an id read in place from a header: a string is made only when the id is not held.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out SessionId id)
    {
        if (_lifetimeTicks > 0 && _bySpan.TryGetValue(text, out var entry) && _time.GetTimestamp() < entry.Expires)
        {
            id = entry.Id;
            return true;
        }
        return SessionId.TryParse(text.ToString(), out id);
    }

    /// <summary>The store found a live session for this id: its parse may be reused for the cache lifetime.</summary>
    public void Remember(SessionId id)
    {
        if (_lifetimeTicks <= 0)
        {
            return;
        }
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(id.Value, out var entry) && now < entry.Expires)
        {
            return;
        }
        if (_entries.Count >= _capacity && !Sweep(now))
        {
            return;
        }
        _entries[id.Value] = new Entry(id, now + _lifetimeTicks);
    }

    private bool Sweep(long now) =>
        ExpiringEntries.Sweep(_entries, e => e.Expires, ref _lastSweep, now, _lifetimeTicks, _capacity);

    private readonly record struct Entry(SessionId Id, long Expires);
}
