using Gateway.Security;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// Failure counters, bans and checks in progress in the SQLite file (<c>throttle_counter</c>, <c>throttle_ban</c>,
/// <c>throttle_pending</c>). Each count-and-ban and each reservation is one <c>BEGIN IMMEDIATE</c> transaction, so
/// parallel guesses cannot slip past the limit. Same rules as the Redis and in-memory stores; time comes from the caller.
/// </summary>
internal sealed class SqliteThrottleStore(SqliteDatabase database) : IThrottleStore
{
    public Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(channel => BanOf(channel, subject.Id, now)));

    public Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: true, channel =>
        {
            if (BanOf(channel, subject.Id, now) is { } banned)
            {
                return banned;
            }
            var (start, failures, members) = channel.Single(SqliteQueries.GetCounter, r => (r.GetInt64(0), r.GetInt32(1), (string?)r.GetString(2)), ("$id", subject.Id));
            if (members is null || Millis(now) - start >= (long)rule.Window.TotalMilliseconds)
            {
                (start, failures, members) = (Millis(now), 0, "");
            }
            // Members are handles (base64url): never a newline.
            if (member is null || !members.Split('\n').Contains(member, StringComparer.Ordinal))
            {
                failures++;
                members = member is null ? members : members.Length == 0 ? member : members + "\n" + member;
            }
            if (failures < rule.Limit)
            {
                channel.Execute(SqliteQueries.SaveCounter, ("$id", subject.Id), ("$start", start), ("$failures", failures), ("$members", members),
                    ("$expires", start + (long)rule.Window.TotalMilliseconds));
                return (DateTimeOffset?)null;
            }
            var until = now + rule.BanTime;
            channel.Execute(SqliteQueries.DeleteCounter, ("$id", subject.Id));
            channel.Execute(SqliteQueries.SaveBan, ("$id", subject.Id), ("$kind", subject.Kind), ("$user", subject.User), ("$ip", subject.Ip),
                ("$until", Millis(until)), ("$failures", failures));
            return until;
        }, cancellationToken);

    public Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: true, channel =>
        {
            if (BanOf(channel, subject.Id, now) is { } banned)
            {
                return new Reservation(false, banned);
            }
            var (start, failures) = channel.Single(SqliteQueries.GetCounter, r => (r.GetInt64(0), r.GetInt32(1)), ("$id", subject.Id));
            var inWindow = Millis(now) - start < (long)rule.Window.TotalMilliseconds ? failures : 0;
            channel.Execute(SqliteQueries.DropLapsedPending, ("$id", subject.Id), ("$now", Millis(now)));
            if (inWindow + channel.Count(SqliteQueries.CountPending, ("$id", subject.Id)) >= rule.Limit)
            {
                return new Reservation(false, null);
            }
            channel.Execute(SqliteQueries.AddPending, ("$id", subject.Id), ("$attempt", attempt), ("$until", Millis(now + lease)));
            return new Reservation(true, null);
        }, cancellationToken);

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.DeletePending, ("$id", subject.Id), ("$attempt", attempt)), cancellationToken);

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.DeleteCounter, ("$id", subject.Id)), cancellationToken);

    // One write transaction (one commit) for both.
    public Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: true, channel =>
        {
            channel.Execute(SqliteQueries.DeleteCounter, ("$id", subject.Id));
            return channel.Execute(SqliteQueries.DeletePending, ("$id", subject.Id), ("$attempt", attempt));
        }, cancellationToken);

    public Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Ban>>(database.Read(channel => channel.Query(SqliteQueries.ListBans, ReadBan, ("$now", Millis(now)), ("$max", max))));

    public Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: true, channel =>
        {
            var ban = channel.Single(SqliteQueries.GetBanById, ReadBan, ("$id", id));
            channel.Execute(SqliteQueries.DeleteBan, ("$id", id));
            channel.Execute(SqliteQueries.DeleteCounter, ("$id", id));
            channel.Execute(SqliteQueries.DeleteAllPending, ("$id", id));
            return ban;
        }, cancellationToken);

    private static DateTimeOffset? BanOf(SqliteChannel channel, string id, DateTimeOffset now) =>
        channel.Single(SqliteQueries.GetBan, r => (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), ("$id", id), ("$now", Millis(now)));

    private static Ban ReadBan(Microsoft.Data.Sqlite.SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.GetInt32(5));

    private static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
}
