using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.Sessions;

/// <summary>
/// The embedded default store: one process, nothing persisted, expiry by <see cref="TimeProvider"/>. Fine for a
/// first run and single-instance development; use Redis for anything real.
/// </summary>
internal sealed partial class InMemorySessionStore(TimeProvider time) : ISessionStore, IActiveSessionCounter
{
    private readonly ConcurrentDictionary<SessionKey, Expiring<SessionRecord>> _sessions = new();
    private readonly ConcurrentDictionary<string, Expiring<SessionKey>> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) =>
        Task.FromResult(Live(_sessions, key));

    public Task CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _sessions[key] = new(record, time.GetUtcNow() + ttl);
        Sweep();
        return Task.CompletedTask;
    }

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (Live(_sessions, key) is { } record)
        {
            _sessions[key] = new(record with { LastSeen = lastSeen }, time.GetUtcNow() + ttl);
        }
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.TryRemove(key, out _));

    public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken) =>
        Task.FromResult(_links.TryGetValue(link, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : (SessionKey?)null);

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _links[link] = new(key, time.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.GetOrAdd(name, _ => RandomNumberGenerator.GetBytes(32)));

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private T? Live<TKey, T>(ConcurrentDictionary<TKey, Expiring<T>> map, TKey key) where TKey : notnull where T : class =>
        map.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : null;

    // Creation is the only growth path, so sweeping there keeps memory bounded without a timer.
    private void Sweep()
    {
        if (_sessions.Count % 256 != 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _sessions)
        {
            if (entry.ExpiresAt <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }
        foreach (var (key, entry) in _links)
        {
            if (entry.ExpiresAt <= now)
            {
                _links.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Expiring<T>(T Value, DateTimeOffset ExpiresAt);
}
