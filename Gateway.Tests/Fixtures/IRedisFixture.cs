using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// What tests need of a Redis deployment, whatever its shape (one server, a cluster, a sentinel group): the
/// connection string the gateway uses, a database for assertions, and the keys under a prefix on every primary.
/// Gateways are isolated by key prefix: the isolation key is the prefix.
/// </summary>
public interface IRedisFixture : IStoreFixture
{
    string ConnectionString { get; }

    IDatabase Database { get; }

    /// <summary>Keys under a prefix (SCAN on every primary, never KEYS).</summary>
    List<string> Keys(string prefix);

    ValueTask<IReadOnlyDictionary<string, string?>> IStoreFixture.GatewaySettingsAsync(string isolationKey) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = ConnectionString,
            ["Gateway:Store:KeyPrefix"] = isolationKey,
        });

    ValueTask IStoreFixture.ExpireSessionsAsync(string isolationKey)
    {
        foreach (var key in Keys(isolationKey + "s:"))
        {
            Database.KeyDelete(key);
        }
        return ValueTask.CompletedTask;
    }

    async ValueTask<int> IStoreFixture.DeleteSessionsUnannouncedAsync(string isolationKey) => await DeleteAsync(isolationKey + "s:");

    async ValueTask<int> IStoreFixture.DeleteCredentialLinksUnannouncedAsync(string isolationKey) => await DeleteAsync(isolationKey + "b:");

    ValueTask<int> IStoreFixture.CountSessionsAsync(string isolationKey) => ValueTask.FromResult(Keys(isolationKey + "s:").Count);

    async ValueTask IStoreFixture.BanUnannouncedAsync(string isolationKey, string subjectId, string user, string ip, DateTimeOffset until, TimeSpan lasting, int failures)
    {
        var key = $"{isolationKey}f:{{{subjectId}}}:ban";
        await Database.HashSetAsync(key, [new("until", until.ToUnixTimeMilliseconds()), new("kind", "login"), new("user", user), new("ip", ip), new("n", failures)]);
        await Database.KeyExpireAsync(key, lasting);
    }

    private async Task<int> DeleteAsync(string prefix)
    {
        var keys = Keys(prefix);
        foreach (var key in keys)
        {
            await Database.KeyDeleteAsync(key);
        }
        return keys.Count;
    }
}
