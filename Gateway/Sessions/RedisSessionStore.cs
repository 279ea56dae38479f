using System.Runtime.CompilerServices;
using Gateway.Configuration;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Sessions in Redis. Layout (prefix <c>gw:</c> by default): <c>s:&lt;key&gt;</c> compact session record whose TTL is the
/// idle timeout; <c>u:{user}</c> sorted set of the user's session keys scored by absolute expiry, pruned
/// lazily; <c>b:&lt;link&gt;</c> verified-Basic-credential → session key; <c>k:&lt;name&gt;</c> shared secrets.
/// Every call is bounded by <c>Gateway:Store:Timeout</c>.
/// </summary>
internal sealed partial class RedisSessionStore(IConnectionMultiplexer redis, IOptions<GatewayOptions> options) :
    ISessionStore, IRememberMeStore, ICredentialLinkStore, ISecretStore, IStoreHealth, IActiveSessionCounter
{
    private readonly string _prefix = options.Value.Store.KeyPrefix;
    private readonly TimeSpan _timeout = options.Value.Store.Timeout;
    private readonly TimeSpan _indexLifetime = options.Value.Session.AbsoluteTimeout;

    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        try
        {
            using var value = await Run(db => db.StringGetLeaseAsync(SessionKeyOf(key)), cancellationToken);
            return value is null ? null : SessionRecordCodec.Decode(value.Span);
        }
        catch (SessionStoreUnavailableException e) when (e.InnerException is RedisServerException { Message: var m } && m.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            return null; // a record in an older layout: unreadable, so absent (it expires by its TTL)
        }
    }

    public async Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken)
    {
        if (cap.Max > 0)
        {
            await PruneMissingAsync(record.User, record.LastSeen, cancellationToken);
        }
        // Written first, indexed second (two slots under Cluster, so not one script): an entry is in the index only
        // once its session exists, so another login's cap pops it only as a real eviction of an older session, never
        // before it is written (indexed first, a login could lose its own session to a simultaneous one and hand out a
        // cookie for nothing). A crash in between leaves a record nobody has the id of, which expires idle.
        var idleExpiry = record.LastSeen + ttl;
        await Run(db => db.StringSetAsync(SessionKeyOf(key), SessionRecordCodec.Encode(record, idleExpiry), ttl), cancellationToken);
        Track(idleExpiry, +1);
        var indexed = await Run(db => db.ScriptEvaluateAsync(RedisSessionScripts.Index, [UserKeyOf(record.User)],
            [key.Value, Millis(record.AbsoluteExpiry), Millis(record.LastSeen), (long)_indexLifetime.TotalMilliseconds, cap.Max, cap.Reject ? 1 : 0]), cancellationToken);
        var outcome = (RedisResult[])indexed!;
        if ((long)outcome[0] == 0)
        {
            await DeleteRecordAsync(key, cancellationToken);
            return CreateResult.Rejected;
        }
        var popped = outcome.Skip(1).Select(m => new SessionKey(m.ToString())).ToList();
        var deleted = await Task.WhenAll(popped.Select(e => DeleteRecordAsync(e, cancellationToken)));
        // Only sessions that still existed were evicted (one deleted or expired meanwhile was not).
        var evicted = popped.Zip(deleted).Where(p => p.Second.Deleted)
            .Select(p => new EvictedSession(p.First, p.Second.Record?.RememberSelector ?? "")).ToList();
        if (evicted.Count > 0)
        {
            await WaitForReplicaAsync(evicted.Select(e => SessionKeyOf(e.Key)), cancellationToken);
        }
        return new CreateResult(true, evicted);
    }

    public async Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = UserKeyOf(user);
        await Run(db => db.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, Score(now)), cancellationToken);
        var members = await Run(db => db.SortedSetRangeByRankAsync(index), cancellationToken);
        return members.Select(m => new SessionKey(m.ToString())).ToList();
    }

    public async Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken)
    {
        var wasExpiring = await Run(db => db.ScriptEvaluateAsync(RedisSessionScripts.Supersede, [SessionKeyOf(key)], [(long)grace.TotalMilliseconds]), cancellationToken);
        Track(wasExpiring, -1); // its successor is the active one
        // No WAIT: a rotation is hygiene, not a revocation the user asked for. Lost in a failover, the old id lives
        // to its idle expiry; waiting instead would answer 503 with the old id already cut to the grace, signing
        // out every user whose rotation fell due while a replica lagged.
        return !wasExpiring.IsNull;
    }

    public async Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var idleExpiry = lastSeen + ttl;
        var wasExpiring = await Run(db => db.ScriptEvaluateAsync(RedisSessionScripts.Touch, [SessionKeyOf(key)],
            [SessionRecordCodec.EncodeTouch(lastSeen, idleExpiry), (long)ttl.TotalMilliseconds]), cancellationToken);
        if (!wasExpiring.IsNull)
        {
            Move(wasExpiring, idleExpiry);
        }
    }

    public async Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        var deleted = await RemoveAsync(key, user, cancellationToken);
        await WaitForReplicaAsync([SessionKeyOf(key)], cancellationToken);
        // A record of an older layout is deleted but unreadable: absent, as GetAsync has it.
        return deleted.Record;
    }

    public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) => RemoveAsync(key, user, cancellationToken);

    private async Task<(bool Deleted, SessionRecord? Record)> RemoveAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        // Two slots under Cluster: not atomic, and need not be; a stale index entry is pruned when listed.
        var deleted = DeleteRecordAsync(key, cancellationToken);
        var unindexed = Run(db => db.SortedSetRemoveAsync(UserKeyOf(user), key.Value), cancellationToken);
        await Task.WhenAll(deleted, unindexed);
        return await deleted;
    }

    internal RedisKey SessionKeyOf(SessionKey key) => _prefix + "s:" + key.Value;

    internal RedisKey UserKeyOf(string user) => _prefix + "u:{" + user + "}";

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken, [CallerMemberName] string caller = "")
    {
        using var call = GatewayTelemetry.StartStoreCall(caller, StoreCallScope.Redis);
        try
        {
            return await operation(redis.GetDatabase()).WaitAsync(_timeout, cancellationToken);
        }
        catch (Exception e) when (call?.Observe(e) == true)
        {
            throw; // never reached: Observe only records the outcome for the span and metrics
        }
        catch (TimeoutException e)
        {
            throw new SessionStoreUnavailableException("Redis did not answer within the store timeout.", timedOut: true, e);
        }
        catch (RedisException e)
        {
            throw new SessionStoreUnavailableException("Redis is unavailable.", timedOut: false, e);
        }
    }

    // Index entries whose session is gone (deleted in another slot, or expired idle) must not count toward the cap.
    // Entries indexed in the last seconds are left alone (a delete in progress removes them itself).
    private async Task PruneMissingAsync(string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settledBefore = Score(now + _indexLifetime - TimeSpan.FromSeconds(10));
        var members = await Run(db => db.SortedSetRangeByScoreAsync(UserKeyOf(user), Score(now), settledBefore), cancellationToken);
        var keys = members.Select(m => new SessionKey(m.ToString())).ToList();
        var exists = await Task.WhenAll(keys.Select(k => Run(db => db.KeyExistsAsync(SessionKeyOf(k)), cancellationToken)));
        var missing = keys.Where((_, i) => !exists[i]).Select(k => (RedisValue)k.Value).ToArray();
        if (missing.Length > 0)
        {
            await Run(db => db.SortedSetRemoveAsync(UserKeyOf(user), missing), cancellationToken);
        }
    }

    // The record deleted (null when none, or in an older layout): out of the active count unless superseded (already out).
    private async Task<(bool Deleted, SessionRecord? Record)> DeleteRecordAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var outcome = (RedisResult[])(await Run(db => db.ScriptEvaluateAsync(RedisSessionScripts.Delete, [SessionKeyOf(key)]), cancellationToken))!;
        var value = (byte[]?)outcome[1] ?? [];
        var record = SessionRecordCodec.Decode(value);
        if (record is { Superseded: false } && SessionRecordCodec.IdleExpiryOf(value) is { } idleExpiry)
        {
            Track(idleExpiry, -1);
        }
        return ((long)outcome[0] == 1, record);
    }

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    // Index scores: absolute expiry in microseconds (see RedisSessionScripts.Index).
    private static double Score(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1000d;
}
