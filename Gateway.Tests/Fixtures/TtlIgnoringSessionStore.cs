using Gateway.Sessions;

namespace Gateway.Tests.Fixtures;

/// <summary>Forwards to a real store but keeps every entry ten years, and records deletions.</summary>
internal sealed class TtlIgnoringSessionStore(ISessionStore inner) : ISessionStore
{
    private static readonly TimeSpan Long = TimeSpan.FromDays(3650);

    public List<SessionKey> Deleted { get; } = [];

    public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken) =>
        inner.CreateAsync(key, record, Long, cap, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.IndexAsync(user, now, cancellationToken);

    public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken) => inner.SupersedeAsync(key, grace, cancellationToken);

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.TouchAsync(key, lastSeen, Long, cancellationToken);

    public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        Deleted.Add(key);
        return inner.DeleteAsync(key, user, cancellationToken);
    }

    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DiscardAsync(key, user, cancellationToken);
}
