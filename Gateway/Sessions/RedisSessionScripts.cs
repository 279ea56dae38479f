namespace Gateway.Sessions;

/// <summary>
/// The Lua scripts of <see cref="RedisSessionStore"/>: each multi-step change that must be atomic, on one key (or one
/// slot), so they hold under Redis Cluster.
/// </summary>
internal static class RedisSessionScripts
{
    // One key per script: safe under Redis Cluster without hash tags. Offsets: see SessionRecordCodec.
    // A superseded session keeps its short grace TTL: never extended. Returns the old idle expiry (8 bytes).
    public const string Touch = """
        local head = redis.call('GETRANGE', KEYS[1], 0, 17)
        if #head < 18 or string.byte(head, 1) ~= 1 or bit.band(string.byte(head, 2), 1) == 1 then return false end
        redis.call('SETRANGE', KEYS[1], 2, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return string.sub(head, 11, 18)
        """;

    public const string Supersede = """
        local head = redis.call('GETRANGE', KEYS[1], 0, 17)
        if #head < 18 or string.byte(head, 1) ~= 1 then return false end
        local flags = string.byte(head, 2)
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 or ttl > tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        if bit.band(flags, 1) == 1 then return false end
        redis.call('SETRANGE', KEYS[1], 1, string.char(bit.bor(flags, 1)))
        return string.sub(head, 11, 18)
        """;

    // Any type: a record of an older layout is deleted too. Returns {deleted, the record's bytes or ''}: the caller
    // takes it out of the active count (unless superseded: already out) and learns its remember-me token.
    public const string Delete = """
        local value = ''
        if redis.call('TYPE', KEYS[1]).ok == 'string' then value = redis.call('GET', KEYS[1]) end
        return {redis.call('DEL', KEYS[1]), value}
        """;

    // Scores are absolute expiry in microseconds, bumped above the current maximum so "oldest" is the order
    // of indexing even within one millisecond. Prune, apply the cap (refuse, or pop the oldest), add.
    // Scores are passed back to Redis as "%.0f" strings: Lua's own number-to-string keeps only 14 digits.
    public const string Index = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', tonumber(ARGV[3]) * 1000))
        local result = {1}
        local max = tonumber(ARGV[5])
        if max > 0 then
          local count = redis.call('ZCARD', KEYS[1])
          if count >= max then
            if ARGV[6] == '1' then return {0} end
            local popped = redis.call('ZPOPMIN', KEYS[1], count - max + 1)
            for i = 1, #popped, 2 do result[#result + 1] = popped[i] end
          end
        end
        local score = tonumber(ARGV[2]) * 1000
        local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        if top[2] and tonumber(top[2]) >= score then score = tonumber(top[2]) + 1 end
        redis.call('ZADD', KEYS[1], string.format('%.0f', score), ARGV[1])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
        return result
        """;
}
