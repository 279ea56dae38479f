using System.Text.Json;
using Gateway.Sessions;
using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// Sessions in the <c>login_session</c> table of the process's SQLite file, keyed by the id's hash. Expiry follows
/// the gateway's clock: a row past its idle expiry is absent to every read, and the cleanup deletes it later. The cap
/// is counted, applied and the new row inserted in one <c>BEGIN IMMEDIATE</c> transaction, so parallel logins cannot
/// both pass it; touches, supersedes and deletes are single statements that change only a live row, so a write that
/// races a delete never brings the session back.
/// </summary>
internal sealed partial class SqliteSessionStore(SqliteDatabase database, TimeProvider time)
    : ISessionStore, IRememberMeStore, ICredentialLinkStore, ISecretStore, IStoreHealth, IActiveSessionCounter
{
    public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(database.Read(channel => channel.Single(SqliteQueries.GetSession, ReadRecord, ("$key", key.Value), ("$now", Now()))));

    public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(transaction: true, channel =>
        {
            var evicted = new List<EvictedSession>();
            if (cap.Max > 0)
            {
                var live = channel.Query(SqliteQueries.LiveSessionsOfUser, r => new EvictedSession(new SessionKey(r.GetString(0)), r.GetString(1)),
                    ("$user", record.User), ("$now", now));
                if (live.Count >= cap.Max)
                {
                    if (cap.Reject)
                    {
                        return CreateResult.Rejected;
                    }
                    foreach (var oldest in live.Take(live.Count - cap.Max + 1))
                    {
                        channel.Execute(SqliteQueries.DiscardSession, ("$key", oldest.Key.Value));
                        evicted.Add(oldest);
                    }
                }
            }
            channel.Execute(SqliteQueries.InsertSession,
                ("$key", key.Value), ("$handle", key.Handle), ("$user", record.User), ("$roles", JsonSerializer.Serialize(record.Roles)),
                ("$ip", record.ClientIp), ("$agent", record.UserAgent), ("$created", Millis(record.Created)), ("$seen", Millis(record.LastSeen)),
                ("$renewed", Millis(record.Renewed == default ? record.Created : record.Renewed)), ("$idle", now + (long)ttl.TotalMilliseconds),
                ("$absolute", Millis(record.AbsoluteExpiry)), ("$stamp", record.PasswordStamp), ("$method", record.Method),
                ("$persistent", record.Persistent), ("$superseded", record.Superseded), ("$selector", record.RememberSelector));
            return new CreateResult(true, evicted);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SessionKey>>(database.Read(channel =>
            channel.Query(SqliteQueries.IndexOfUser, r => new SessionKey(r.GetString(0)), ("$user", user), ("$now", Millis(now)))));

    public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.SupersedeSession,
            ("$key", key.Value), ("$until", now + (long)grace.TotalMilliseconds), ("$now", now)) == 1, cancellationToken);
    }

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.TouchSession,
            ("$key", key.Value), ("$seen", Millis(lastSeen)), ("$idle", now + (long)ttl.TotalMilliseconds), ("$now", now)), cancellationToken);
    }

    public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        var now = Now();
        // The deleted row names its remember-me token; one already idle-expired was absent, so it is reported as none.
        return database.WriteAsync(transaction: false, channel =>
            channel.Single(SqliteQueries.DeleteSession, r => r.GetInt64(13) > now ? ReadRecord(r) : null, ("$key", key.Value)), cancellationToken);
    }

    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.DiscardSession, ("$key", key.Value)), cancellationToken);

    public Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(channel => channel.Count(SqliteQueries.CountActive, ("$now", Millis(now)))));

    public Task PingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(channel => channel.Count(SqliteQueries.Ping)));

    // Columns in the order of SqliteQueries.SessionColumns.
    private static SessionRecord ReadRecord(SqliteDataReader r) => new(
        r.GetString(0), JsonSerializer.Deserialize<string[]>(r.GetString(1)) ?? [], Time(r.GetInt64(2)), Time(r.GetInt64(3)), Time(r.GetInt64(4)),
        r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), Time(r.GetInt64(9)), Superseded: r.GetBoolean(10), Persistent: r.GetBoolean(11),
        RememberSelector: r.GetString(12));

    private long Now() => Millis(time.GetUtcNow());

    private static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
