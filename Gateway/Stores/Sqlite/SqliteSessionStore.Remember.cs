using Gateway.Sessions;

namespace Gateway.Stores.Sqlite;

/// <summary>Remember-me tokens in the <c>remember_token</c> table; the rotation is one compare-and-set statement.</summary>
internal sealed partial class SqliteSessionStore
{
    public Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.SaveRemember,
            ("$selector", selector), ("$user", record.User), ("$validator", record.ValidatorHash), ("$previous", record.PreviousHash),
            ("$rotated", Millis(record.RotatedAt)), ("$expires", Millis(record.Expires)), ("$stamp", record.PasswordStamp)), cancellationToken);

    public Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(channel => channel.Single(SqliteQueries.GetRemember,
            r => new RememberRecord(r.GetString(0), (byte[])r[1], (byte[])r[2], Time(r.GetInt64(3)), Time(r.GetInt64(4)), r.GetString(5)),
            ("$selector", selector), ("$now", Now()))));

    public Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken)
    {
        var now = Now();
        // The writer runs one call at a time, so "lost or gone" is read in the same state the update saw.
        return database.WriteAsync(transaction: false, channel =>
        {
            if (channel.Execute(SqliteQueries.RotateRemember, ("$selector", selector), ("$expected", expectedHash), ("$next", nextHash),
                ("$rotated", Millis(rotatedAt)), ("$now", now)) == 1)
            {
                return RememberRotation.Rotated;
            }
            return channel.Count(SqliteQueries.RememberExists, ("$selector", selector), ("$now", now)) > 0 ? RememberRotation.Lost : RememberRotation.Gone;
        }, cancellationToken);
    }

    public Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, channel => channel.Execute(SqliteQueries.DeleteRemember, ("$selector", selector)), cancellationToken);

    public Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(database.Read(channel =>
            channel.Query(SqliteQueries.RememberSelectorsOfUser, r => r.GetString(0), ("$user", user), ("$now", Now()))));
}
