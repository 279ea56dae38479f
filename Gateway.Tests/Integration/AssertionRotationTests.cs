using Gateway.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gateway.Tests.Integration;

/// <summary>
/// Generated keys rotate every Gateway:Assertion:KeyRotation (here 10 minutes of the test's clock):
/// the next key is published a whole period before it signs, and a token signed before a rotation still verifies
/// while its key is retained (one period after), and no longer once it is dropped.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AssertionRotationTests(RedisServer redis) : GatewayTestBase(redis)
{
    private static readonly TimeSpan Rotation = TimeSpan.FromMinutes(10);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Assertion:Enabled"] = "true",
        ["Gateway:Assertion:KeyRotation"] = "00:10:00",
        // Rotation spans more than the default 30 minutes of idleness on the test clock.
        ["Gateway:Session:IdleTimeout"] = "02:00:00",
    };

    [Fact]
    public async Task Rotation_TokenSignedBefore_VerifiesWhileItsKeyIsRetained()
    {
        var sid = await LoginAsync("alice");
        // A minute before a rotation: the token signed now lives four minutes into the next period.
        var intoPeriod = Host.Clock.GetUtcNow().ToUnixTimeMilliseconds() % (long)Rotation.TotalMilliseconds;
        Host.Clock.Advance(Rotation - TimeSpan.FromMilliseconds(intoPeriod) - TimeSpan.FromMinutes(1));
        var before = await AssertionCheck.FetchJwksAsync(Client);
        await GetAsync("/x", WithCookie(sid));
        var token = AssertionCheck.Single(Backend.Last);
        Assert.Equal(before.Keys[0].Kid, new JsonWebToken(token).Kid);

        Host.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await AssertionCheck.FetchJwksAsync(Client);
        var stillValid = await AssertionCheck.ValidateAsync(token, after, AssertionCheck.Origin(Host), "backend", Host.Clock);
        Host.Clock.Advance(TimeSpan.FromMinutes(3)); // past half the old token's lifetime: a new one, by the new key
        await GetAsync("/y", WithCookie(sid));
        var next = AssertionCheck.Single(Backend.Last);

        Assert.Equal(before.Keys[1].Kid, after.Keys[0].Kid); // the next key signs now, published a period ahead
        Assert.Equal(before.Keys[0].Kid, after.Keys[2].Kid); // the former current one is retired, still published
        Assert.True(stillValid.IsValid, stillValid.Exception?.Message);
        Assert.Equal(after.Keys[0].Kid, new JsonWebToken(next).Kid);
        Assert.True((await AssertionCheck.ValidateAsync(next, after, AssertionCheck.Origin(Host), "backend", Host.Clock)).IsValid);

        Host.Clock.Advance(Rotation);
        var later = await AssertionCheck.FetchJwksAsync(Client);
        var dropped = await AssertionCheck.ValidateAsync(token, later, AssertionCheck.Origin(Host), "backend", lifetime: false);

        Assert.DoesNotContain(before.Keys[0].Kid, later.Keys.Select(k => k.Kid));
        Assert.False(dropped.IsValid);
    }
}
