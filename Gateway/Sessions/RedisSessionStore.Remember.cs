using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>Remember-me tokens: <c>r:&lt;selector&gt;</c> hash, and <c>ru:{user}</c> set of the user's selectors.</summary>
internal sealed partial class RedisSessionStore
{
    // Compare and set on the one token key: rotate only if the stored validator is still the one redeemed.
    // Returns 1 rotated, 0 another redemption rotated first, -1 no such token.
    private const string RotateRememberScript = """
        local current = redis.call('HGET', KEYS[1], 'v')
        if not current then return -1 end
        if current ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[2], 'o', ARGV[1], 't', ARGV[3])
        return 1
        """;

    public async Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken)
    {
        var key = RememberKeyOf(selector);
        var ttl = record.Expires - record.RotatedAt;
        var userKey = RememberUserKeyOf(record.User);
        await Run(db =>
        {
            var batch = db.CreateTransaction();
            _ = batch.HashSetAsync(key,
            [
                new("u", record.User), new("v", record.ValidatorHash), new("o", record.PreviousHash),
                new("t", Millis(record.RotatedAt)), new("e", Millis(record.Expires)), new("p", record.PasswordStamp),
            ]);
            _ = batch.KeyExpireAsync(key, ttl);
            return batch.ExecuteAsync();
        }, cancellationToken);
        await Run(db => db.SetAddAsync(userKey, selector), cancellationToken);
        await Run(db => db.KeyExpireAsync(userKey, ttl, ExpireWhen.GreaterThanCurrentExpiry), cancellationToken);
        await Run(db => db.KeyExpireAsync(userKey, ttl, ExpireWhen.HasNoExpiry), cancellationToken);
    }

    public async Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken)
    {
        var fields = await Run(db => db.HashGetAllAsync(RememberKeyOf(selector)), cancellationToken);
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value);
        if (!map.TryGetValue("u", out var user) || !map.TryGetValue("v", out var validator) ||
            !map.TryGetValue("t", out var rotated) || !map.TryGetValue("e", out var expires))
        {
            return null;
        }
        return new RememberRecord(user!, (byte[])validator!, map.TryGetValue("o", out var previous) ? (byte[])previous! : [],
            DateTimeOffset.FromUnixTimeMilliseconds((long)rotated), DateTimeOffset.FromUnixTimeMilliseconds((long)expires),
            map.TryGetValue("p", out var stamp) ? stamp.ToString() : "");
    }

    public async Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken)
    {
        var key = RememberKeyOf(selector);
        var outcome = (long)await Run(db => db.ScriptEvaluateAsync(RotateRememberScript, [key], [expectedHash, nextHash, Millis(rotatedAt)]), cancellationToken);
        // No WAIT here: a rotation that failed to replicate must still hand out its cookie, or the browser would keep
        // a validator the primary has already demoted to the previous one (a theft a minute later).
        return outcome switch { 1 => RememberRotation.Rotated, 0 => RememberRotation.Lost, _ => RememberRotation.Gone };
    }

    public async Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Run(db => db.KeyDeleteAsync(RememberKeyOf(selector)), cancellationToken),
            Run(db => db.SetRemoveAsync(RememberUserKeyOf(user), selector), cancellationToken));
        await WaitForReplicaAsync([RememberKeyOf(selector)], cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken)
    {
        var members = await Run(db => db.SetMembersAsync(RememberUserKeyOf(user)), cancellationToken);
        return members.Select(m => m.ToString()).ToList();
    }

    private RedisKey RememberKeyOf(string selector) => _prefix + "r:" + selector;

    private RedisKey RememberUserKeyOf(string user) => _prefix + "ru:{" + user + "}";
}
