using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Revocations that survive a failover. Replication is asynchronous: a DEL the primary acknowledged but no
/// replica received is lost when Sentinel (or Cluster) promotes that replica, and the revoked session comes back.
/// So when the session's primary has replicas, a delete is acknowledged only after <c>WAIT 1</c> confirms a
/// replica holds it; otherwise the caller gets the store's 503 and may retry. Without replicas it costs one
/// <c>ROLE</c>.
/// </summary>
internal sealed partial class RedisSessionStore
{
    private async Task WaitForReplicaAsync(RedisKey key, CancellationToken cancellationToken)
    {
        var endpoint = await Run(db => db.IdentifyEndpointAsync(key), cancellationToken);
        if (endpoint is null)
        {
            return;
        }
        var server = redis.GetServer(endpoint);
        // ROLE, not INFO: INFO needs admin mode on the connection.
        var role = await Run(_ => server.RoleAsync(), cancellationToken);
        if (role is not Role.Master { Replicas.Count: > 0 })
        {
            return;
        }
        // WAIT covers every earlier write on this connection, the DEL included; half the store timeout leaves
        // room for the round trip inside the bound.
        var waitMs = Math.Max(1, (long)(_timeout.TotalMilliseconds / 2));
        var acknowledged = (long)await Run(_ => server.ExecuteAsync("WAIT", 1, waitMs), cancellationToken);
        if (acknowledged < 1)
        {
            throw new SessionStoreUnavailableException("No replica acknowledged the revocation in time.", timedOut: true);
        }
    }
}
