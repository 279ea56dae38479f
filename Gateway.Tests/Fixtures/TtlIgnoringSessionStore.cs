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

    public Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken) =>
        inner.SaveRememberAsync(selector, record, cancellationToken);

    public Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken) => inner.GetRememberAsync(selector, cancellationToken);

    public Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken) =>
        inner.RotateRememberAsync(selector, expectedHash, nextHash, rotatedAt, cancellationToken);

    public Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken) =>
        inner.DeleteRememberAsync(selector, user, cancellationToken);

    public Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken) =>
        inner.RememberSelectorsAsync(user, cancellationToken);

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.TouchAsync(key, lastSeen, Long, cancellationToken);

    public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        Deleted.Add(key);
        return inner.DeleteAsync(key, user, cancellationToken);
    }

    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DiscardAsync(key, user, cancellationToken);

    public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken) => inner.GetCredentialLinkAsync(link, cancellationToken);

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
        inner.SetCredentialLinkAsync(link, key, ttl, cancellationToken);

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) => inner.GetOrCreateSecretAsync(name, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
}
