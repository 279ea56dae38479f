using System.Runtime.CompilerServices;
using Gateway.Security;
using Npgsql;
using Q = Gateway.Stores.Postgres.PostgresQueries;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Failure counters, bans and checks in progress in <c>throttle_counter</c>, <c>throttle_ban</c> and
/// <c>throttle_pending</c>, shared by every gateway on the database. Counting and reserving run in a transaction
/// holding the subject's advisory lock, so parallel guesses on several gateways are counted one after the other, as
/// the Redis scripts are. Windows, bans and leases follow the caller's clock; <c>expires_at</c> (database clock) only
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
        db.RunAsync(async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token);
            var (banned, start, failures, members) = await ReadAsync(connection, subject, now, token);
            if (banned is not null)
            {
                return banned;
            }
            if (start is null || now - start >= rule.Window)
            {
                (start, failures, members) = (now, 0, []);
            }
            if (member is null || !members.Contains(member))
            {
                failures++;
                members = member is null ? members : [.. members, member];
            }
            DateTimeOffset? until = null;
            NpgsqlBatch write;
            if (failures < rule.Limit)
            {
                write = db.Batch(connection, (Q.SaveCounter, [subject.Id, start, failures, members, rule.Window]));
            }
            else
            {
                until = now + rule.BanTime;
                write = db.Batch(connection, (Q.DeleteCounter, [subject.Id]),
                    (Q.SaveBan, [subject.Id, subject.Kind, subject.User, subject.Ip, until, failures, rule.BanTime]));
            }
            await using (write)
            {
                await write.ExecuteNonQueryAsync(token);
            }
            await transaction.CommitAsync(token);
            return until;
        }, cancellationToken);

    public Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token);
            var (banned, start, failures, _) = await ReadAsync(connection, subject, now, token);
            if (banned is not null)
            {
                return new Reservation(false, banned);
            }
            var counted = start is not null && now - start < rule.Window ? failures : 0;
            long pending;
            await using (var count = db.Batch(connection, (Q.PrunePending, [subject.Id, now]), (Q.CountPending, [subject.Id])))
            {
                pending = (long)(await count.ExecuteScalarAsync(token))!;
            }
            if (counted + pending >= rule.Limit)
            {
                await transaction.CommitAsync(token); // keeps the pruning
                return new Reservation(false, null);
            }
            await using (var add = db.Command(connection, Q.AddPending, subject.Id, attempt, now + lease, lease))
            {
                await add.ExecuteNonQueryAsync(token);
            }
            await transaction.CommitAsync(token);
            return new Reservation(true, null);
        }, cancellationToken);

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        ExecuteAsync(Q.DeletePending, [subject.Id, attempt], cancellationToken);

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) =>
        ExecuteAsync(Q.DeleteCounter, [subject.Id], cancellationToken);

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

    // Under the subject's lock (until the transaction ends): the ban in force, and the current window's counter.
    private async Task<(DateTimeOffset? Banned, DateTimeOffset? Start, int Failures, string[] Members)> ReadAsync(
        NpgsqlConnection connection, ThrottleSubject subject, DateTimeOffset now, CancellationToken token)
    {
        await using var batch = db.Batch(connection, (Q.LockSubject, [subject.Id]), (Q.GetBan, [subject.Id, now]), (Q.GetCounter, [subject.Id]));
        await using var reader = await batch.ExecuteReaderAsync(token);
        await reader.NextResultAsync(token);
        if (await reader.ReadAsync(token))
        {
            return (reader.GetFieldValue<DateTimeOffset>(0), null, 0, []);
        }
        await reader.NextResultAsync(token);
        return await reader.ReadAsync(token)
            ? (null, reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetFieldValue<string[]>(2))
            : (null, null, 0, []);
    }

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
