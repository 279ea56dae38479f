using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Redis ACL credentials from the connection string (<c>user=...,password=...</c>) against a redis-server whose
/// default user is off: the right ones work end to end; wrong ones make the gateway not ready and answer 503
/// (never 500, never an anonymous pass). Owns its redis-server.
/// </summary>
public sealed class RedisAclTests : OwnedRedisTestBase
{
    private const string Acl = "user=gateway,password=gw-acl-secret";

    public RedisAclTests() : base(new RedisServer
    {
        ExtraArguments = ["--user", "default", "off", "--user", "gateway", "on", ">gw-acl-secret", "~*", "&*", "+@all"],
        Credentials = Acl,
    })
    {
    }


    [Fact]
    public async Task Proxy_AclUserFromConnectionString_SessionsWork()
    {
        var sid = await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Single(SessionKeys());
        Assert.Contains("gateway", (string?)await Redis!.Database.ExecuteAsync("ACL", "WHOAMI"));
    }

    [Theory]
    [InlineData("user=gateway,password=wrong")]
    [InlineData("")]
    public async Task Proxy_WrongOrMissingAclCredentials_NotReadyAnd503(string credentials)
    {
        var address = $"127.0.0.1:{Redis!.Port}" + (credentials.Length > 0 ? "," + credentials : "");

        await AssertStoreRefusedAsync(new Address(address, Redis));
    }

    private sealed record Address(string ConnectionString, RedisServer Server) : IRedisFixture
    {
        public StackExchange.Redis.IDatabase Database => Server.Database;

        public List<string> Keys(string prefix) => Server.Keys(prefix);
    }
}
