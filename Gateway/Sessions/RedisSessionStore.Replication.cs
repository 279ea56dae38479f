using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Revocations that survive a failover. Replication is asynchronous: a write the primary acknowledged but no
/// replica received is lost when Sentinel (or Cluster) promotes that replica, and a revoked session (or token)
/// comes back. So every revocation (delete, cap eviction, remember-me token deletion; not a rotation) is
/// acknowledged only after <c>WAIT 1</c> confirms a replica of the key's primary holds it, when that primary has
/// replicas; otherwise the caller gets the store's 503 and may retry. Whether it has replicas is asked with
/// <c>ROLE</c> at most once a second per primary, so without replicas a revocation costs no extra round trip.
/// </summary>
internal sealed partial class RedisSessionStore
{
    // Wall time, not the sessions' clock: this caches a fact about a live server.
    private static readonly TimeSpan RoleLifetime = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<EndPoint, (bool HasReplicas, long At)> _roles = new();

    private async Task WaitForReplicaAsync(IEnumerable<RedisKey> keys, CancellationToken cancellationToken)
    {
        var servers = keys.Select(k => redis.GetServer(k)).DistinctBy(s => s.EndPoint).ToList();
        await Task.WhenAll(servers.Select(s => WaitOnAsync(s, cancellationToken)));
    }

    private async Task WaitOnAsync(IServer server, CancellationToken cancellationToken)
    {
        if (!await HasReplicasAsync(server, cancellationToken))
        {
            return;
        }
        // WAIT covers every earlier write on this connection, the revocation included; half the store timeout
        // leaves room for the round trip inside the bound.
        var waitMs = Math.Max(1, (long)(_timeout.TotalMilliseconds / 2));
        var acknowledged = (long)await Run(_ => server.ExecuteAsync("WAIT", 1, waitMs), cancellationToken);
        if (acknowledged < 1)
        {
            _roles.TryRemove(server.EndPoint, out _); // the replica may be gone for good: ask again next time
            throw new SessionStoreUnavailableException("No replica acknowledged the revocation in time.", timedOut: true);
        }
    }

    private async Task<bool> HasReplicasAsync(IServer server, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetTimestamp();
        if (_roles.TryGetValue(server.EndPoint, out var known) && TimeProvider.System.GetElapsedTime(known.At, now) < RoleLifetime)
        {
            return known.HasReplicas;
        }
        // ROLE, not INFO: INFO needs admin mode on the connection.
        var role = await Run(_ => server.RoleAsync(), cancellationToken);
        var hasReplicas = role is Role.Master { Replicas.Count: > 0 };
        _roles[server.EndPoint] = (hasReplicas, now);
        return hasReplicas;
    }
}
