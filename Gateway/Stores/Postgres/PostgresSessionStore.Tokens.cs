using System.Security.Cryptography;
using Gateway.Sessions;
using Q = Gateway.Stores.Postgres.PostgresQueries;

namespace Gateway.Stores.Postgres;

/// <summary>Remember-me tokens (<c>remember_token</c>), credential links (<c>credential_link</c>) and shared secrets (<c>gateway_secret</c>).</summary>
internal sealed partial class PostgresSessionStore : IRememberMeStore, ICredentialLinkStore, ISecretStore, IStoreHealth
{
    public Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.SaveRemember, selector, record.User, record.ValidatorHash, record.PreviousHash,
                record.RotatedAt, record.Expires, record.PasswordStamp);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.GetRemember, selector);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token)
                ? new RememberRecord(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5))
                : null;
        }, cancellationToken);

    // No wait for a standby: a rotation lost in a failover must still hand out its cookie (see the Redis store).
    public Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.RotateRemember, selector, expectedHash, nextHash, rotatedAt);
            return (int)(await command.ExecuteScalarAsync(token))! switch
            {
                1 => RememberRotation.Rotated,
                0 => RememberRotation.Lost,
                _ => RememberRotation.Gone,
            };
        }, cancellationToken);

    public Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.DurableCommit, []), (Q.DeleteRemember, [selector]));
            return await batch.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<string>>(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.RememberSelectors, user);
            await using var reader = await command.ExecuteReaderAsync(token);
            var selectors = new List<string>();
            while (await reader.ReadAsync(token))
            {
                selectors.Add(reader.GetString(0));
            }
            return selectors;
        }, cancellationToken);

    public Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.GetLink, link);
            return await command.ExecuteScalarAsync(token) is string key ? new SessionKey(key) : (SessionKey?)null;
        }, cancellationToken);

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.SetLink, link, key.Value, ttl);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.CreateSecret, [name, RandomNumberGenerator.GetBytes(32)]), (Q.GetSecret, [name]));
            return (byte[])(await batch.ExecuteScalarAsync(token))!;
        }, cancellationToken);
}
