using System.Security.Cryptography;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>Credential links (<c>b:&lt;link&gt;</c> → session key), shared secrets (<c>k:&lt;name&gt;</c>), and the health ping.</summary>
internal sealed partial class RedisSessionStore
{
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
}
