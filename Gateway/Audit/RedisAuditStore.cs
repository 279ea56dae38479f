using Gateway.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Audit;

/// <summary>
/// Audit entries in two Redis Streams, each capped with <c>XADD MAXLEN ~</c>: <c>gw:audit</c> for the session lifecycle
/// (<c>Gateway:Audit:MaxEntries</c>) and <c>gw:audit-security</c> for security events (<c>MaxSecurityEntries</c>, see
/// <see cref="AuditEvent.IsSecurity"/>), read back merged.
/// </summary>
internal sealed class RedisAuditStore(IConnectionMultiplexer redis, IOptions<GatewayOptions> options) : IAuditStore
{
    private const int ScanLimit = 5000;
    private readonly RedisKey _key = options.Value.Store.KeyPrefix + "audit";
    private readonly RedisKey _securityKey = options.Value.Store.KeyPrefix + "audit-security";
    private readonly int _maxEntries = options.Value.Audit.MaxEntries;
    private readonly int _maxSecurityEntries = options.Value.Audit.MaxSecurityEntries;
    private readonly TimeSpan _timeout = options.Value.Store.Timeout;

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken) =>
        redis.GetDatabase().StreamAddAsync(entry.IsSecurity ? _securityKey : _key,
        [
            new("t", entry.Time.ToUnixTimeMilliseconds()), new("k", entry.Kind), new("u", entry.User), new("h", entry.Handle ?? ""),
            new("d", entry.Detail ?? ""), new("b", entry.By ?? ""), new("i", entry.Ip ?? ""),
        ], maxLength: entry.IsSecurity ? _maxSecurityEntries : _maxEntries, useApproximateMaxLength: true).WaitAsync(_timeout, cancellationToken);

    public async Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken)
    {
        var lifecycle = ReadAsync(_key, user, count, cancellationToken);
        var security = ReadAsync(_securityKey, user, count, cancellationToken);
        return AuditMerge.NewestFirst(await lifecycle, await security, count, e => e.Entry, e => e.Sequence);
    }

    private async Task<IReadOnlyList<(long Sequence, AuditEvent Entry)>> ReadAsync(RedisKey key, string? user, int count, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(key, null, null, user is null ? count : ScanLimit, Order.Descending)
            .WaitAsync(_timeout, cancellationToken);
        return entries.Select(e => (Sequence(e.Id), Decode(e))).Where(e => user is null || e.Item2.User == user).Take(count).ToList();
    }

    // A stream id is "<server milliseconds>-<sequence>": the order Redis wrote the entries in, across both streams to
    // the millisecond (ties the gateway's clock cannot break).
    private static long Sequence(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-');
        return dash > 0 && long.TryParse(text.AsSpan(0, dash), out var ms) && long.TryParse(text.AsSpan(dash + 1), out var seq)
            ? ms * 1_000_000 + Math.Min(seq, 999_999)
            : 0;
    }

    private static AuditEvent Decode(StreamEntry entry)
    {
        string? Field(string name) => entry[name] is { IsNullOrEmpty: false } v ? v.ToString() : null;
        return new AuditEvent(DateTimeOffset.FromUnixTimeMilliseconds((long)entry["t"]), Field("k") ?? "", Field("u") ?? "",
            Field("h"), Field("d"), Field("b"), Field("i"));
    }
}
