using System.Globalization;
using System.Security.Cryptography;
using Gateway.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Sessions in Redis. Layout (prefix <c>gw:</c> by default): <c>s:&lt;key&gt;</c> session hash whose TTL is the
/// idle timeout; <c>u:{user}</c> sorted set of the user's session keys scored by absolute expiry, pruned
/// lazily; <c>b:&lt;link&gt;</c> verified-Basic-credential → session key; <c>k:&lt;name&gt;</c> shared secrets.
/// Every call is bounded by <c>Gateway:Store:Timeout</c>.
/// </summary>
internal sealed partial class RedisSessionStore(IConnectionMultiplexer redis, IOptions<GatewayOptions> options) : ISessionStore
{
    // One key per script: safe under Redis Cluster without hash tags.
    private const string CreateScript = """
        redis.call('HSET', KEYS[1], 'u', ARGV[1], 'r', ARGV[2], 'c', ARGV[3], 'l', ARGV[4], 'a', ARGV[5], 'i', ARGV[6], 'g', ARGV[7], 'p', ARGV[8], 'm', ARGV[9])
        redis.call('PEXPIRE', KEYS[1], ARGV[10])
        return 1
        """;

    private const string IndexScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
        return 1
        """;

    private const string TouchScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('HSET', KEYS[1], 'l', ARGV[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    private readonly string _prefix = options.Value.Store.KeyPrefix;
    private readonly TimeSpan _timeout = options.Value.Store.Timeout;
    private readonly TimeSpan _indexLifetime = options.Value.Session.AbsoluteTimeout;

    public async Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken)
    {
        var fields = await Run(db => db.HashGetAllAsync(SessionKeyOf(key)), cancellationToken);
        return fields.Length == 0 ? null : Decode(fields);
    }

    public async Task CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        // Index first: a session that exists is always listed under its user, so "revoke all" finds it.
        await Run(db => db.ScriptEvaluateAsync(IndexScript, [UserKeyOf(record.User)],
            [key.Value, Millis(record.AbsoluteExpiry), Millis(record.Created), (long)_indexLifetime.TotalMilliseconds]), cancellationToken);
        await Run(db => db.ScriptEvaluateAsync(CreateScript, [SessionKeyOf(key)],
        [
            record.User, string.Join('\n', record.Roles), Millis(record.Created), Millis(record.LastSeen),
            Millis(record.AbsoluteExpiry), record.ClientIp, record.UserAgent, record.PasswordStamp, record.Method,
            (long)ttl.TotalMilliseconds,
        ]), cancellationToken);
    }

    public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
        Run(db => db.ScriptEvaluateAsync(TouchScript, [SessionKeyOf(key)], [Millis(lastSeen), (long)ttl.TotalMilliseconds]), cancellationToken);

    public async Task<bool> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken)
    {
        // Two slots under Cluster: not atomic, and need not be; a stale index entry is pruned when listed.
        var deleted = Run(db => db.KeyDeleteAsync(SessionKeyOf(key)), cancellationToken);
        var unindexed = Run(db => db.SortedSetRemoveAsync(UserKeyOf(user), key.Value), cancellationToken);
        await Task.WhenAll(deleted, unindexed);
        await WaitForReplicaAsync(SessionKeyOf(key), cancellationToken);
        return await deleted;
    }

    public async Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken)
    {
        var value = await Run(db => db.StringGetAsync(_prefix + "b:" + link), cancellationToken);
        return value.IsNullOrEmpty ? null : new SessionKey(value.ToString());
    }

    public Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken) =>
        Run(db => db.StringSetAsync(_prefix + "b:" + link, key.Value, ttl), cancellationToken);

    public async Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken)
    {
        RedisKey key = _prefix + "k:" + name;
        await Run(db => db.StringSetAsync(key, RandomNumberGenerator.GetBytes(32), when: When.NotExists), cancellationToken);
        var value = await Run(db => db.StringGetAsync(key), cancellationToken);
        return (byte[])value!;
    }

    public Task PingAsync(CancellationToken cancellationToken) => Run(db => db.PingAsync(), cancellationToken);

    internal RedisKey SessionKeyOf(SessionKey key) => _prefix + "s:" + key.Value;

    internal RedisKey UserKeyOf(string user) => _prefix + "u:{" + user + "}";

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(redis.GetDatabase()).WaitAsync(_timeout, cancellationToken);
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

    private static SessionRecord? Decode(HashEntry[] fields)
    {
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        if (!map.TryGetValue("u", out var user) || !TryTime(map, "c", out var created) ||
            !TryTime(map, "l", out var lastSeen) || !TryTime(map, "a", out var absolute))
        {
            return null;
        }
        var roles = map.GetValueOrDefault("r", "");
        return new SessionRecord(user, roles.Length == 0 ? [] : roles.Split('\n'), created, lastSeen, absolute,
            map.GetValueOrDefault("i", ""), map.GetValueOrDefault("g", ""), map.GetValueOrDefault("p", ""), map.GetValueOrDefault("m", ""));
    }

    private static bool TryTime(Dictionary<string, string> map, string field, out DateTimeOffset value)
    {
        value = default;
        if (!map.TryGetValue(field, out var text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }
        value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
