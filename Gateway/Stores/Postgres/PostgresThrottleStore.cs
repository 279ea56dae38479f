using System.Runtime.CompilerServices;
using Gateway.Security;
using Npgsql;
using Q = Gateway.Stores.Postgres.PostgresQueries;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Failure counters, bans and checks in progress in <c>throttle_counter</c>, <c>throttle_ban</c> and
/// <c>throttle_pending</c>, shared by every gateway on the database. Counting and reserving are each one statement
/// run right after taking the subject's advisory lock, in one round trip and one transaction, so parallel guesses on
/// several gateways are counted one after the other (as the Redis scripts are) and the lock is held only while the
/// database runs them. Windows, bans and leases follow the caller's clock; <c>expires_at</c> (database clock) only
/// tells the cleanup what it may delete.
/// </summary>
internal sealed class PostgresThrottleStore(PostgresDatabase db) : IThrottleStore
{
    public Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.GetBan, subject.Id, now);
            return await command.ExecuteScalarAsync(token) is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : (DateTimeOffset?)null;
        }, cancellationToken);

    public Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync<DateTimeOffset?>(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.LockSubject, [subject.Id]), (Q.RecordFailure,
                [subject.Id, now, rule.Window, member, rule.Limit, subject.Kind, subject.User, subject.Ip, rule.BanTime]));
            await using var reader = await batch.ExecuteReaderAsync(token);
            await reader.NextResultAsync(token);
            await reader.ReadAsync(token);
            return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        }, cancellationToken);

    public Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.LockSubject, [subject.Id]),
                (Q.Reserve, [subject.Id, now, rule.Window, rule.Limit, attempt, lease]));
            await using var reader = await batch.ExecuteReaderAsync(token);
            await reader.NextResultAsync(token);
            await reader.ReadAsync(token);
            return reader.IsDBNull(0) ? new Reservation(reader.GetBoolean(1), null) : new Reservation(false, reader.GetFieldValue<DateTimeOffset>(0));
        }, cancellationToken);

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(Q.DeletePending, [subject.Id, attempt], cancellationToken);

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) =>
        ExecuteAsync(Q.DeleteCounter, [subject.Id], cancellationToken);

    // One batch: one round trip and one transaction for both.
    public Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.DeleteCounter, [subject.Id]), (Q.DeletePending, [subject.Id, attempt]));
            return await batch.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<Ban>>(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.ListBans, now, max);
            await using var reader = await command.ExecuteReaderAsync(token);
            var bans = new List<Ban>();
            while (await reader.ReadAsync(token))
            {
                bans.Add(ReadBan(reader));
            }
            return bans;
        }, cancellationToken);

    public Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var batch = db.Batch(connection, (Q.LiftBan, [id]), (Q.DeleteCounter, [id]), (Q.DeleteAllPending, [id]));
            await using var reader = await batch.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? ReadBan(reader) : null;
        }, cancellationToken);

    private Task ExecuteAsync(string sql, object?[] values, CancellationToken cancellationToken, [CallerMemberName] string caller = "") =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, sql, values);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken, caller);

    private static Ban ReadBan(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5));
}
