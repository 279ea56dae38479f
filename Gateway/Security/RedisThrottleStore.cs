using System.Globalization;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Security;

/// <summary>
/// Counters and bans in Redis, shared by every gateway instance. Layout (prefix <c>gw:</c> by default):
/// <c>f:{id}</c> hash of one window's failures (start, count, distinct members) with the window as TTL;
/// <c>f:{id}:ban</c> hash of a ban (until, kind, user, ip, failures) with the ban time as TTL; <c>f:bans</c>
/// sorted set of ban ids scored by their end, for the admin listing; <c>f:{id}:p</c> sorted set of the password
/// checks in progress, scored by the end of their lease. The keys of one subject share a hash tag, so the
/// count-and-ban and reserve scripts are atomic under Redis Cluster too.
/// </summary>
internal sealed class RedisThrottleStore(IConnectionMultiplexer redis, IOptions<GatewayOptions> options) : IThrottleStore
{
    private const string FailureScript = """
        local now = tonumber(ARGV[1])
        local banned = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
        if banned > now then return banned end
        local start = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
        if start == 0 or now - start >= tonumber(ARGV[2]) then
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[1], 's', now)
        end
        local n
        if ARGV[5] == '' or redis.call('HSETNX', KEYS[1], 'm' .. ARGV[5], 1) == 1 then
          n = redis.call('HINCRBY', KEYS[1], 'n', 1)
        else
          n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        if n < tonumber(ARGV[3]) then return 0 end
        local ends = now + tonumber(ARGV[4])
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('HSET', KEYS[2], 'until', ends, 'kind', ARGV[6], 'user', ARGV[7], 'ip', ARGV[8], 'n', n)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return ends
        """;

    // The window's failures plus the unexpired checks in progress must stay under the limit; 0 granted, -1 full, else the ban's end.
    private const string ReserveScript = """
        local now = tonumber(ARGV[1])
        local banned = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
        if banned > now then return banned end
        local failures = 0
        local start = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
        if start > 0 and now - start < tonumber(ARGV[2]) then
          failures = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
        if failures + redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[3]) then return -1 end
        redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[5])
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        return 0
        """;

    private readonly string _prefix = options.Value.Store.KeyPrefix + "f:";
    private readonly TimeSpan _timeout = options.Value.Store.Timeout;

    public async Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = await Run(db => db.HashGetAsync(BanKey(subject.Id), "until"), cancellationToken);
        return until.TryParse(out long ms) && ms > now.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await Run(db => db.ScriptEvaluateAsync(FailureScript, [CounterKey(subject.Id), BanKey(subject.Id)],
        [
            now.ToUnixTimeMilliseconds(), (long)rule.Window.TotalMilliseconds, rule.Limit, (long)rule.BanTime.TotalMilliseconds,
            member ?? "", subject.Kind, subject.User ?? "", subject.Ip ?? "",
        ]), cancellationToken);
        var until = (long)result;
        if (until <= 0)
        {
            return null;
        }
        await Run(db => db.SortedSetAddAsync(_prefix + "bans", subject.Id, until), cancellationToken);
        return DateTimeOffset.FromUnixTimeMilliseconds(until);
    }

    public async Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var result = (long)await Run(db => db.ScriptEvaluateAsync(ReserveScript, [CounterKey(subject.Id), BanKey(subject.Id), PendingKey(subject.Id)],
        [
            now.ToUnixTimeMilliseconds(), (long)rule.Window.TotalMilliseconds, rule.Limit, (long)lease.TotalMilliseconds, attempt,
        ]), cancellationToken);
        return result switch
        {
            0 => new Reservation(true, null),
            < 0 => new Reservation(false, null),
            _ => new Reservation(false, DateTimeOffset.FromUnixTimeMilliseconds(result)),
        };
    }

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        Run(db => db.SortedSetRemoveAsync(PendingKey(subject.Id), attempt), cancellationToken);

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) =>
        Run(db => db.KeyDeleteAsync(CounterKey(subject.Id)), cancellationToken);

    // Both sent at once (pipelined), not one after the other.
    public Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        Task.WhenAll(ResetAsync(subject, cancellationToken), ReleaseAsync(subject, attempt, cancellationToken));

    public async Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await Run(db => db.SortedSetRemoveRangeByScoreAsync(_prefix + "bans", double.NegativeInfinity, nowMs), cancellationToken);
        var ids = await Run(db => db.SortedSetRangeByRankAsync(_prefix + "bans", 0, max - 1), cancellationToken);
        var bans = new List<Ban>(ids.Length);
        foreach (var id in ids)
        {
            var ban = Decode(id.ToString(), await Run(db => db.HashGetAllAsync(BanKey(id.ToString())), cancellationToken));
            if (ban is not null && ban.Until.ToUnixTimeMilliseconds() > nowMs)
            {
                bans.Add(ban);
            }
        }
        return bans;
    }

    public async Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken)
    {
        var ban = Decode(id, await Run(db => db.HashGetAllAsync(BanKey(id)), cancellationToken));
        await Run(db => db.KeyDeleteAsync([BanKey(id), CounterKey(id), PendingKey(id)]), cancellationToken);
        await Run(db => db.SortedSetRemoveAsync(_prefix + "bans", id), cancellationToken);
        return ban;
    }

    private RedisKey CounterKey(string id) => _prefix + "{" + id + "}";

    private RedisKey BanKey(string id) => _prefix + "{" + id + "}:ban";

    private RedisKey PendingKey(string id) => _prefix + "{" + id + "}:p";

    private static Ban? Decode(string id, HashEntry[] fields)
    {
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        if (!map.TryGetValue("until", out var until) || !long.TryParse(until, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return null;
        }
        static string? Field(Dictionary<string, string> map, string name) => map.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;
        return new Ban(id, map.GetValueOrDefault("kind", ""), Field(map, "user"), Field(map, "ip"), DateTimeOffset.FromUnixTimeMilliseconds(ms),
            int.TryParse(map.GetValueOrDefault("n"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
    }

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
}
