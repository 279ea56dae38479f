using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;

namespace Gateway.Tests.Integration;

/// <summary>
/// Generated keys are shared through the store: two gateways on one Redis publish the same key set, so a backend
/// verifies a token from either against the key set of either (behind a load balancer it may fetch from any). Run on
/// one Redis and on one PostgreSQL database.
/// </summary>
public abstract class AssertionTwoGatewaysTests(IStoreFixture store) : TwoGatewaysTestBase(store, "00:00:01")
{
    private const string Issuer = "https://gw.example.test";

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Gateway:Assertion:Enabled"] = "true";
            settings["Gateway:Assertion:Issuer"] = Issuer;
            return settings;
        }
    }

    [Fact]
    public async Task Jwks_TwoInstancesOneRedis_SameKeySet()
    {
        var one = await (await Client.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();
        var other = await (await OtherClient.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();

        Assert.Contains("\"kid\"", one);
        Assert.Equal(one, other);
    }

    [Fact]
    public async Task Proxy_TwoInstances_EachVerifiesAgainstTheOthersKeySet()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        var fromOne = AssertionCheck.Single(Backend.Last);
        Assert.Equal(HttpStatusCode.OK, (await OtherClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/y") { Headers = { { "Cookie", "sid=" + sid } } })).StatusCode);
        var fromOther = AssertionCheck.Single(Backend.Last);

        var oneKeys = await AssertionCheck.FetchJwksAsync(Client);
        var otherKeys = await AssertionCheck.FetchJwksAsync(OtherClient);

        Assert.True((await AssertionCheck.ValidateAsync(fromOne, otherKeys, Issuer, "backend")).IsValid);
        Assert.True((await AssertionCheck.ValidateAsync(fromOther, oneKeys, Issuer, "backend")).IsValid);
        Assert.Equal(AssertionCheck.Payload(fromOne).GetProperty("sid").GetString(), AssertionCheck.Payload(fromOther).GetProperty("sid").GetString());
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisAssertionTwoGatewaysTests(RedisServer redis) : AssertionTwoGatewaysTests(redis);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAssertionTwoGatewaysTests(PostgresServer postgres) : AssertionTwoGatewaysTests(postgres);
