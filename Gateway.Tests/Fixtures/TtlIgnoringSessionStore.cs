using Gateway.Sessions;

namespace Gateway.Tests.Fixtures;

/// <summary>Forwards to a real store but keeps every entry ten years, and records deletions.</summary>
internal sealed class TtlIgnoringSessionStore(ISessionStore inner) : ISessionStore
{
    private static readonly TimeSpan Long = TimeSpan.FromDays(3650);

    public List<SessionKey> Deleted { get; } = [];

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.CreateAsync(key, record, Long, cancellationToken);

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.TouchAsync(key, lastSeen, Long, cancellationToken);

    public Task<bool> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        Deleted.Add(key);
        return inner.DeleteAsync(key, user, cancellationToken);
    }

    public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken) => inner.GetCredentialLinkAsync(link, cancellationToken);

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.SetCredentialLinkAsync(link, key, ttl, cancellationToken);

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) => inner.GetOrCreateSecretAsync(name, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
}
