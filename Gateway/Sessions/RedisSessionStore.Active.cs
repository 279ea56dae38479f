using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// The active-session count: <c>active</c> (under the key prefix) is a sorted set of every session key scored by
/// its idle expiry, kept by create, touch and delete, so a count is one <c>ZCOUNT</c> (O(log N)) instead of a scan.
/// Its writes are fire-and-forget: they never delay or fail a request. A session ended without passing through
/// <see cref="DeleteAsync"/> (for example by Redis eviction) still counts until its recorded expiry, so the
/// gauge is accurate to the touch interval. One key for every gateway instance: under Cluster it lives on one slot.
/// </summary>
internal sealed partial class RedisSessionStore
{
    private RedisKey ActiveKey => _prefix + "active";

    public async Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = Millis(now);
        await Run(db => db.SortedSetRemoveRangeByScoreAsync(ActiveKey, double.NegativeInfinity, nowMs), cancellationToken);
        return await Run(db => db.SortedSetLengthAsync(ActiveKey, nowMs, double.PositiveInfinity, Exclude.Start), cancellationToken);
    }

    private void Track(SessionKey key, DateTimeOffset until) =>
        Bookkeep(db => db.SortedSetAdd(ActiveKey, key.Value, Millis(until), CommandFlags.FireAndForget));

    private void Untrack(SessionKey key) =>
        Bookkeep(db => db.SortedSetRemove(ActiveKey, key.Value, CommandFlags.FireAndForget));

    // The count is an estimate: losing one write to a disconnect must not turn a finished request into an error.
    private void Bookkeep(Action<IDatabase> write)
    {
        try
        {
            write(redis.GetDatabase());
        }
        catch (RedisException)
        {
        }
    }
}
