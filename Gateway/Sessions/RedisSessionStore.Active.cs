using System.Globalization;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// The active-session count without a per-session entry: <c>expiries</c> (under the key prefix) is a hash of
/// 10-second idle-expiry buckets to session counts. Create adds one to its session's bucket, a touch moves it,
/// delete and supersede take it out; the count is the sum of the buckets not yet past (accurate to one bucket),
/// and past buckets are dropped as it is read. Memory is a few hundred fields whatever the number of sessions.
/// Writes are fire-and-forget: they never delay or fail a request. A write lost to a disconnect, or a session
/// Redis evicts, skews only its bucket, so the error ages out within the idle timeout. One key for every gateway
/// instance: under Cluster it lives on one slot.
/// </summary>
internal sealed partial class RedisSessionStore
{
    private const long BucketMs = 10_000;

    private RedisKey ExpiriesKey => _prefix + "expiries";

    public async Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = Millis(now) / BucketMs;
        var buckets = await Run(db => db.HashGetAllAsync(ExpiriesKey), cancellationToken);
        long active = 0;
        var past = new List<RedisValue>();
        foreach (var bucket in buckets)
        {
            if (!long.TryParse(bucket.Name.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < current)
            {
                past.Add(bucket.Name);
            }
            else
            {
                active += (long)bucket.Value;
            }
        }
        if (past.Count > 0)
        {
            // Only past buckets: nothing adds to them any more (a late decrement there is harmless, and dropped next time).
            await Run(db => db.HashDeleteAsync(ExpiriesKey, [.. past]), cancellationToken);
        }
        return Math.Max(0, active);
    }

    /// <summary>Counts a session expiring at <paramref name="idleExpiry"/> in (+1) or out (-1).</summary>
    private void Track(DateTimeOffset idleExpiry, int delta) =>
        Bookkeep(db => db.HashIncrement(ExpiriesKey, Bucket(idleExpiry), delta, CommandFlags.FireAndForget));

    /// <summary>The same for the 8-byte idle expiry a script returned (nothing when it returned none).</summary>
    private void Track(RedisResult wasExpiring, int delta)
    {
        if (!wasExpiring.IsNull && (byte[]?)wasExpiring is { Length: 8 } expiry)
        {
            Track(SessionRecordCodec.ReadTime(expiry, 0), delta);
        }
    }

    private void Move(RedisResult wasExpiring, DateTimeOffset idleExpiry)
    {
        if (!wasExpiring.IsNull && (byte[]?)wasExpiring is { Length: 8 } before && Bucket(SessionRecordCodec.ReadTime(before, 0)) != Bucket(idleExpiry))
        {
            Track(wasExpiring, -1);
            Track(idleExpiry, +1);
        }
    }

    private static long Bucket(DateTimeOffset idleExpiry) => Millis(idleExpiry) / BucketMs;

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
