using Gateway.Sessions;
using Npgsql;
using Q = Gateway.Stores.Postgres.PostgresQueries;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Sessions in the <c>login_session</c> table, keyed by the id's hash. The row's <c>idle_expires_at</c> plays the
/// part of the Redis TTL (the idle timeout capped by the absolute one, on the database's clock); the per-user index is
/// the table itself (<c>username, seq</c>). The cap is applied under a per-user transaction lock, so parallel
/// logins take their turn; revocations commit with <c>synchronous_commit = on</c> (see <see cref="Q.DurableCommit"/>).
/// Remember-me tokens, credential links and secrets are in their own tables (the other parts of this class).
/// </summary>
internal sealed partial class PostgresSessionStore(PostgresDatabase db) : ISessionStore, IActiveSessionCounter
{
    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) =>
        await db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.GetSession, key.Value);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? ReadRecord(reader, 0) : null;
        }, cancellationToken);

    public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            var insert = (Q.InsertSession, InsertValues(key, record, ttl));
            if (cap.Max <= 0)
            {
                await using var plain = db.Batch(connection, insert);
                await plain.ExecuteNonQueryAsync(token);
                return new CreateResult(true, []);
            }
            await using var transaction = await connection.BeginTransactionAsync(token);
            var live = new List<string>();
            await using (var count = db.Batch(connection, (Q.LockUser, [record.User]), (Q.LiveSessionsOfUser, [record.User, record.LastSeen])))
            await using (var reader = await count.ExecuteReaderAsync(token))
            {
                await reader.NextResultAsync(token); // past the lock's empty result
                while (await reader.ReadAsync(token))
                {
                    live.Add(reader.GetString(0));
                }
            }
            if (live.Count >= cap.Max && cap.Reject)
            {
                return CreateResult.Rejected; // rolled back by the dispose
            }
            var oldest = live.Take(Math.Max(0, live.Count - cap.Max + 1)).ToArray();
            var evicted = new List<EvictedSession>();
            await using (var write = db.Batch(connection, (Q.DurableCommit, []), (Q.EvictSessions, [oldest]), insert))
            await using (var reader = await write.ExecuteReaderAsync(token))
            {
                await reader.NextResultAsync(token);
                while (await reader.ReadAsync(token))
                {
                    evicted.Add(new EvictedSession(new SessionKey(reader.GetString(0)), reader.GetString(1)));
                }
            }
            await transaction.CommitAsync(token);
            return new CreateResult(true, evicted);
        }, cancellationToken);

    public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<SessionKey>>(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.IndexOfUser, user, now);
            await using var reader = await command.ExecuteReaderAsync(token);
            var keys = new List<SessionKey>();
            while (await reader.ReadAsync(token))
            {
                keys.Add(new SessionKey(reader.GetString(0)));
            }
            return keys;
        }, cancellationToken);

    public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.SupersedeSession, key.Value, grace);
            return await command.ExecuteScalarAsync(token) is true;
        }, cancellationToken);

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.TouchSession, key.Value, lastSeen, ttl);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.DurableCommit, []), (Q.DeleteSession, [key.Value]));
            await using var reader = await batch.ExecuteReaderAsync(token);
            await reader.NextResultAsync(token);
            // A row past its expiry is deleted too, but it was already gone (as an expired Redis key is).
            return await reader.ReadAsync(token) && reader.GetBoolean(0) ? ReadRecord(reader, 1) : null;
        }, cancellationToken);

    // Not a revocation: nobody was given this id, so no wait for a standby.
    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.DiscardSession, key.Value);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.CountActive);
            return (long)(await command.ExecuteScalarAsync(token))!;
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.Ping);
            return await command.ExecuteScalarAsync(token);
        }, cancellationToken);

    private static object?[] InsertValues(SessionKey key, SessionRecord r, TimeSpan ttl) =>
    [
        key.Value, r.User, r.Roles, r.Created, r.LastSeen, r.AbsoluteExpiry, r.ClientIp, r.UserAgent, r.PasswordStamp, r.Method,
        r.Renewed == default ? r.Created : r.Renewed, r.Superseded, r.Persistent, r.RememberSelector, ttl,
    ];

    // Columns in the order of PostgresQueries.SessionColumns, from ordinal `at`.
    private static SessionRecord ReadRecord(NpgsqlDataReader reader, int at) => new(
        reader.GetString(at), reader.GetFieldValue<string[]>(at + 1), Time(reader, at + 2), Time(reader, at + 3), Time(reader, at + 4),
        reader.GetString(at + 5), reader.GetString(at + 6), reader.GetString(at + 7), reader.GetString(at + 8), Time(reader, at + 9),
        Superseded: reader.GetBoolean(at + 10), Persistent: reader.GetBoolean(at + 11), RememberSelector: reader.GetString(at + 12));

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
