using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.Sessions;

/// <summary>
/// The embedded default store: one process, nothing persisted, expiry by <see cref="TimeProvider"/>. Fine for a
/// first run and single-instance development; use Redis for anything real. Same semantics as Redis, including
/// the atomic per-user cap (one lock per process is plenty at this scale).
/// </summary>
internal sealed partial class InMemorySessionStore(TimeProvider time) :
    ISessionStore, IRememberMeStore, ICredentialLinkStore, ISecretStore, IStoreHealth, IActiveSessionCounter
{
    private readonly ConcurrentDictionary<SessionKey, Expiring<SessionRecord>> _sessions = new();
    private readonly ConcurrentDictionary<string, Expiring<SessionKey>> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _createLock = new();

    public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) => ValueTask.FromResult(Live(key));

    public bool SharesRecords => true;

    public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken)
    {
        lock (_createLock)
        {
            Sweep();
            var evicted = new List<EvictedSession>();
            if (cap.Max > 0)
            {
                var mine = _sessions.Where(s => s.Value.Value.User == record.User && Live(s.Key) is not null)
                    .OrderBy(s => s.Value.Value.AbsoluteExpiry).ToList();
                if (mine.Count >= cap.Max)
                {
                    if (cap.Reject)
                    {
                        return Task.FromResult(CreateResult.Rejected);
                    }
                    foreach (var (oldest, entry) in mine.Take(mine.Count - cap.Max + 1))
                    {
                        _sessions.TryRemove(oldest, out _);
                        evicted.Add(new EvictedSession(oldest, entry.Value.RememberSelector));
                    }
                }
            }
            _sessions[key] = new(record with { Renewed = record.Renewed == default ? record.Created : record.Renewed }, time.GetUtcNow() + ttl);
            return Task.FromResult(new CreateResult(true, evicted));
        }
    }

    public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SessionKey>>(_sessions.Where(s => s.Value.Value.User == user && s.Value.Value.AbsoluteExpiry > now)
            .OrderBy(s => s.Value.Value.AbsoluteExpiry).Select(s => s.Key).ToList());

    // Touch and supersede replace exactly the entry they read (compare and set): one that a delete removed meanwhile
    // is not written back.
    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() && !entry.Value.Superseded)
        {
            _sessions.TryUpdate(key, new(entry.Value with { LastSeen = lastSeen }, time.GetUtcNow() + ttl), entry); // lost to a newer write: fine
        }
        return Task.CompletedTask;
    }

    public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken)
    {
        while (_sessions.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() && !entry.Value.Superseded)
        {
            var until = time.GetUtcNow() + grace;
            if (_sessions.TryUpdate(key, new(entry.Value with { Superseded = true }, until < entry.ExpiresAt ? until : entry.ExpiresAt), entry))
            {
                return Task.FromResult(true);
            }
        }
        return Task.FromResult(false);
    }

    public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.TryRemove(key, out var entry) ? entry.Value : null);

    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        DeleteAsync(key, user, cancellationToken);

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

    private SessionRecord? Live(SessionKey key) =>
        _sessions.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Value : null;

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
