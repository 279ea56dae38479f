using System.Security.Cryptography;
using Gateway.Sessions;

namespace Gateway.Stores.Sqlite;

/// <summary>Credential links (<c>credential_link</c>, with their expiry) and shared secrets (<c>secret</c>, created once).</summary>
internal sealed partial class SqliteSessionStore
{
    public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(channel => channel.Single(SqliteQueries.GetLink, r => r.GetString(0), ("$link", link), ("$now", Now()))) is { } key
            ? new SessionKey(key)
            : (SessionKey?)null);

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.SetLink,
            ("$link", link), ("$key", key.Value), ("$expires", Now() + (long)ttl.TotalMilliseconds)), cancellationToken);

    // Read first (a read-only file still serves it); else insert if absent, then read: whoever inserted first, every
    // caller gets the one stored value.
    public async Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
        database.Read(channel => channel.Single(SqliteQueries.GetSecret, r => (byte[])r[0], ("$name", name))) ??
        await database.WriteAsync(transaction: false, channel =>
        {
            channel.Execute(SqliteQueries.CreateSecret, ("$name", name), ("$value", RandomNumberGenerator.GetBytes(32)), ("$now", Now()));
            return channel.Single(SqliteQueries.GetSecret, r => (byte[])r[0], ("$name", name))!;
        }, cancellationToken);
}
